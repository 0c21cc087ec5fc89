import CLLVM
import Foundation
@testable import LLVMCodegen

/// Measures a `MathFunction` on all 2^32 float inputs, entirely in JIT-compiled code.
///
/// A debug-built Swift loop is far too slow for 4.3 billion comparisons, so the module
/// holds two functions: `gen` (the vectorized kernel applied to consecutive bit patterns)
/// and `check`, a scalar loop that computes the float64 reference through glibc's double
/// `exp`/`log`/`log1p`/`expm1`/`tanh`/`erf` (the same functions Foundation calls) and
/// reduces the ulp error with the same rules as `ulpError`.
struct ExhaustiveChecker {
    typealias Generate = @convention(c) (UnsafeMutablePointer<Float>?, Int64, Int64) -> Void
    typealias Check = @convention(c) (UnsafePointer<Float>?, Int64, Int64,
                                      UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Int64>?) -> Void

    let compiled: CompiledModule
    let generate: Generate
    let check: Check

    init(_ function: MathFunction, jit: JITCompiler) throws {
        let prefix = jit.uniqueName("exhaustive_\(function.rawValue)")
        let module = IRModule(name: prefix)
        Self.addGenerate(module, "\(prefix)_gen", function)
        Self.addCheck(module, "\(prefix)_check", function)
        compiled = try jit.compile(module)
        generate = try compiled.function("\(prefix)_gen", as: Generate.self)
        check = try compiled.function("\(prefix)_check", as: Check.self)
    }

    /// `out[i] = f(bitcast<float>(start + i))`, vectorizable.
    static func addGenerate(_ module: IRModule, _ name: String, _ function: MathFunction) {
        let b = module.builder
        let kernel = b.addFunction(name, returning: b.void, parameters: [b.pointer(to: b.f32), b.i64, b.i64])
        b.markKernelPointer(kernel, 0, .writeOnly)
        b.position(atEndOf: b.appendBlock(kernel, "entry"))
        let (output, start) = (b.parameter(kernel, 0), b.parameter(kernel, 1))
        b.emitLoop(from: b.i64(0), to: b.parameter(kernel, 2)) { b, i in
            let x = b.bitcast(b.trunc(b.add(start, i), to: b.i32), to: b.f32)
            b.store(function.emit(MathEmitter(b), x), to: b.elementPointer(b.f32, output, i))
        }
        b.returnVoid()
    }

    /// `check(y, start, n, &maxUlp, &worstIndex)` over the inputs `start..<start+n`.
    static func addCheck(_ module: IRModule, _ name: String, _ function: MathFunction) {
        let b = module.builder
        let parameters = [b.pointer(to: b.f32), b.i64, b.i64, b.pointer(to: b.f64), b.pointer(to: b.i64)]
        let kernel = b.addFunction(name, returning: b.void, parameters: parameters)
        b.position(atEndOf: b.appendBlock(kernel, "entry"))
        let (outputs, start) = (b.parameter(kernel, 0), b.parameter(kernel, 1))
        let result = b.emitLoop(from: b.i64(0), to: b.parameter(kernel, 2),
                                carrying: [b.f64(-1), b.i64(0)]) { b, i, carried in
            let x = b.bitcast(b.trunc(b.add(start, i), to: b.i32), to: b.f32)
            let y = b.load(b.f32, from: b.elementPointer(b.f32, outputs, i))
            let error = ulpErrorIR(b, y, reference: reference(b, function, b.fpExt(x, to: b.f64)))
            let worse = b.fcmp(LLVMRealOGT, error, carried[0])
            return [b.select(worse, error, carried[0]), b.select(worse, i, carried[1])]
        }
        b.store(result[0], to: b.parameter(kernel, 3))
        b.store(result[1], to: b.parameter(kernel, 4))
        b.returnVoid()
    }

    /// The float64 reference of `function` at `x`, mirroring `MathFunction.reference`.
    static func reference(_ b: IRBuilder, _ function: MathFunction, _ x: IRValue) -> IRValue {
        func libm(_ name: String, _ argument: IRValue) -> IRValue {
            b.call(b.declareFunction(name, returning: b.f64, parameters: [b.f64]), [argument])
        }
        let one = b.f64(1)
        switch function {
        case .exp, .log, .log1p, .expm1, .tanh, .erf:
            return libm(function.rawValue, x)
        case .sigmoid:
            let t = libm("exp", b.fneg(b.fabs(x)))
            let negative = b.fcmp(LLVMRealOLT, x, b.f64(0))
            return b.select(negative, b.fdiv(t, b.fadd(one, t)), b.fdiv(one, b.fadd(one, t)))
        case .softplus:
            let tail = libm("log1p", libm("exp", b.fneg(b.fabs(x))))
            return b.fadd(b.select(b.fcmp(LLVMRealOGT, x, b.f64(0)), x, b.f64(0)), tail)
        }
    }

    /// IR version of `ulpError(y, reference:)` (see there for the rules).
    static func ulpErrorIR(_ b: IRBuilder, _ y: IRValue, reference r: IRValue) -> IRValue {
        let rounded = b.fpTrunc(r, to: b.f32)
        let roundedNaN = b.fcmp(LLVMRealUNO, rounded, rounded)
        let yNaN = b.fcmp(LLVMRealUNO, y, y)
        let infinity = b.f32(.infinity)
        let nonFinite = b.or(b.or(roundedNaN, yNaN), b.or(b.fcmp(LLVMRealOEQ, b.fabs(rounded), infinity),
                                                          b.fcmp(LLVMRealOEQ, b.fabs(y), infinity)))
        let match = b.or(b.and(roundedNaN, yNaN), b.fcmp(LLVMRealOEQ, y, rounded))
        let specialError = b.select(match, b.f64(0), b.f64(.infinity))
        let biased = b.and(b.lshr(b.bitcast(r, to: b.i64), b.i64(52)), b.i64(0x7ff))
        let exponent = b.sub(biased, b.i64(1023))
        let clamped = b.select(b.icmp(LLVMIntSLT, exponent, b.i64(-126)), b.i64(-126), exponent)
        let ulp = b.bitcast(b.shl(b.add(clamped, b.i64(1023 - 23)), b.i64(52)), to: b.f64)
        let error = b.fdiv(b.fabs(b.fsub(b.fpExt(y, to: b.f64), r)), ulp)
        return b.select(nonFinite, specialError, error)
    }

    /// The max ulp error over the inputs with bit patterns `start..<start+count`, and the
    /// worst input.
    func measure(start: Int64, count: Int64) -> (maxUlp: Double, worst: Float) {
        var outputs = [Float](repeating: 0, count: Int(count))
        var (ulp, index): (Double, Int64) = (0, 0)
        outputs.withUnsafeMutableBufferPointer { buffer in
            withExtendedLifetime(compiled) {
                generate(buffer.baseAddress, start, count)
                check(buffer.baseAddress, start, count, &ulp, &index)
            }
        }
        return (ulp, Float(bitPattern: UInt32(truncatingIfNeeded: start + index)))
    }

    /// Runs over all 2^32 inputs in chunks on `threads` threads; returns (max ulp, worst x).
    func run(threads: Int = 2) -> (maxUlp: Double, worst: Float) {
        let chunk: Int64 = 1 << 22
        let chunks = Int((Int64(1) << 32) / chunk)
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for c in Swift.stride(from: thread, to: chunks, by: threads) {
                let (ulp, worst) = measure(start: Int64(c) * chunk, count: chunk)
                results.add(ulp, Int64(worst.bitPattern))
            }
        }
        return results.worst
    }

    /// Thread-safe maximum of (ulp, input index) pairs.
    final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var best = (ulp: -1.0, index: Int64(0))
        func add(_ ulp: Double, _ index: Int64) {
            lock.lock()
            if ulp > best.ulp { best = (ulp, index) }
            lock.unlock()
        }
        var worst: (maxUlp: Double, worst: Float) {
            lock.lock()
            defer { lock.unlock() }
            return (best.ulp, Float(bitPattern: UInt32(truncatingIfNeeded: best.index)))
        }
    }
}
