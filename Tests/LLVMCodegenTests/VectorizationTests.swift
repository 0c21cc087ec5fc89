import Foundation
import Testing
@testable import LLVMCodegen

/// The emitted loops vectorize: inline math without libm calls, reductions with the hint.
@Suite struct VectorizationTests {
    static func isVectorized(_ ir: String) -> Bool {
        ir.contains("<16 x float>") || ir.contains("<8 x float>")
    }

    @Test(arguments: MathFunction.allCases)
    func mathKernelsVectorizeWithoutCalls(_ function: MathFunction) throws {
        let kernel = try MathKernel(function, jit: JITCompiler(), captureIR: true)
        let ir = try #require(kernel.compiled.optimizedIR)
        #expect(Self.isVectorized(ir), "\(function.rawValue) kernel was not vectorized")
        let calls = ir.split(separator: "\n").filter { $0.contains("call ") && !$0.contains("@llvm.") }
        #expect(calls.isEmpty, "non-intrinsic calls: \(calls)")
        #expect(!ir.contains("@expf") && !ir.contains("@logf"))
    }

    typealias Sum = @convention(c) (UnsafePointer<Float>?, Int64) -> Float

    /// Builds `float name(const float* x, i64 n)` returning the sum of x[0..<n].
    static func sumModule(_ name: String, vectorize: Bool) -> IRModule {
        let module = IRModule(name: name)
        let b = module.builder
        let function = b.addFunction(name, returning: b.f32, parameters: [b.pointer(to: b.f32), b.i64])
        b.markKernelPointer(function, 0, .readOnly)
        b.position(atEndOf: b.appendBlock(function, "entry"))
        let input = b.parameter(function, 0)
        let sums = b.emitLoop(from: b.i64(0), to: b.parameter(function, 1), carrying: [b.f32(0)],
                              vectorize: vectorize) { b, i, carried in
            [b.fadd(carried[0], b.load(b.f32, from: b.elementPointer(b.f32, input, i)))]
        }
        b.return(sums[0])
        return module
    }

    @Test func reductionVectorizesOnlyWithTheLoopHint() throws {
        let jit = try JITCompiler()
        let hinted = try jit.compile(Self.sumModule("sumHinted", vectorize: true), captureIR: true)
        let plain = try jit.compile(Self.sumModule("sumPlain", vectorize: false), captureIR: true)
        #expect(Self.isVectorized(try #require(hinted.optimizedIR)))
        #expect(!Self.isVectorized(try #require(plain.optimizedIR)))

        var state: UInt32 = 12345
        let values: [Float] = (0..<(1 << 20) + 13).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(state >> 8) / Float(1 << 24) - 0.25
        }
        let exact = values.reduce(0.0) { $0 + Double($1) }
        for compiled in [hinted, plain] {
            let result = try compiled.withFunction(compiled.symbols[0], as: Sum.self) { sum in
                values.withUnsafeBufferPointer { sum($0.baseAddress, Int64($0.count)) }
            }
            #expect(Swift.abs(Double(result) - exact) <= 1e-4 * Swift.abs(exact), "\(compiled.symbols)")
        }
        #expect(try hinted.withFunction("sumHinted", as: Sum.self) { $0(nil, 0) } == 0)
    }
}
