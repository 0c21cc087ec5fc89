import Foundation
@testable import LLVMCodegen

/// `void k(float* out, const float* in, i64 n)` as a Swift-callable C function.
typealias UnaryKernel = @convention(c) (UnsafeMutablePointer<Float>?, UnsafePointer<Float>?, Int64) -> Void

/// A JIT-compiled elementwise kernel for one `MathFunction`, kept alive with its code.
struct MathKernel {
    let function: MathFunction
    let compiled: CompiledModule
    let entry: UnaryKernel

    /// Builds, optimizes and compiles the kernel for `function` in `jit`.
    init(_ function: MathFunction, jit: JITCompiler, captureIR: Bool = false) throws {
        self.function = function
        let name = jit.uniqueName("vmath_\(function.rawValue)")
        let module = IRModule(name: name)
        module.addUnaryMapKernel(name, function)
        compiled = try jit.compile(module, optimize: true, captureIR: captureIR)
        entry = try compiled.function(name, as: UnaryKernel.self)
    }

    /// Applies the kernel to `inputs`.
    func callAsFunction(_ inputs: [Float]) -> [Float] {
        var outputs = [Float](repeating: 0, count: inputs.count)
        inputs.withUnsafeBufferPointer { input in
            outputs.withUnsafeMutableBufferPointer { output in
                entry(output.baseAddress, input.baseAddress, Int64(input.count))
            }
        }
        return outputs
    }
}

extension MathFunction {
    /// The float64 reference (Foundation/glibc double functions), stable forms for
    /// sigmoid and softplus.
    func reference(_ x: Double) -> Double {
        switch self {
        case .exp: Foundation.exp(x)
        case .log: Foundation.log(x)
        case .log1p: Foundation.log1p(x)
        case .expm1: Foundation.expm1(x)
        case .tanh: Foundation.tanh(x)
        case .sigmoid: x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
        case .softplus: Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
        case .erf: Foundation.erf(x)
        }
    }
}

/// The error of `y` against the float64 value `reference`, in float ulps of the reference.
///
/// When the reference rounds to a non-finite float (NaN, or overflow to ±inf) the result
/// must match it exactly: 0 if it does, infinity otherwise. A non-finite `y` for a finite
/// reference is also infinitely wrong. The ulp is that of the reference's binade (2^-149
/// in the denormal range).
func ulpError(_ y: Float, reference: Double) -> Double {
    let rounded = Float(reference)
    if rounded.isNaN { return y.isNaN ? 0 : .infinity }
    if !rounded.isFinite || !y.isFinite { return y == rounded ? 0 : .infinity }
    let exponent = reference == 0 ? -126 : Swift.max(Int(reference.exponent), -126)
    let ulp = Double(sign: .plus, exponent: exponent - 23, significand: 1)
    return Swift.abs(Double(y) - reference) / ulp
}

/// The worst error over a set of inputs.
struct AccuracyReport: CustomStringConvertible {
    var maxUlp = 0.0
    var worstInput: Float = 0
    var worstOutput: Float = 0
    var count = 0

    /// Measures `kernel` on `inputs` against the function's float64 reference.
    static func measure(_ kernel: MathKernel, on inputs: [Float]) -> AccuracyReport {
        let outputs = kernel(inputs)
        var report = AccuracyReport(count: inputs.count)
        for (x, y) in zip(inputs, outputs) {
            let error = ulpError(y, reference: kernel.function.reference(Double(x)))
            if error > report.maxUlp || error.isNaN {
                report.maxUlp = error
                report.worstInput = x
                report.worstOutput = y
            }
        }
        return report
    }

    var description: String {
        let x = worstInput
        return "max \(String(format: "%.3f", maxUlp)) ulp at x=\(x) (0x\(String(x.bitPattern, radix: 16)))"
            + " -> \(worstOutput) over \(count) inputs"
    }
}

/// Every `stride`-th float bit pattern (starting at `offset`), NaNs included.
func strideSweep(stride: UInt64, offset: UInt64 = 0) -> [Float] {
    Swift.stride(from: offset, to: UInt64(1) << 32, by: Int(stride)).map { Float(bitPattern: UInt32($0)) }
}

/// Edge inputs: ±0, ±inf, NaN, every power of two with its neighbours (covering denormals
/// and the extremes), ±FLT_MAX, and a few ulps around `thresholds` and their negations.
func edgeInputs(thresholds: [Float]) -> [Float] {
    var inputs: [Float] = [0, -0.0, .infinity, -.infinity, .nan, .greatestFiniteMagnitude,
                           -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -.leastNonzeroMagnitude]
    for exponent in -149...127 {
        let power = Float(sign: .plus, exponent: exponent, significand: 1)
        for value in [power, power.nextUp, power.nextDown] { inputs += [value, -value] }
    }
    for threshold in thresholds {
        var up = threshold, down = threshold
        for _ in 0..<64 {
            inputs += [up, down, -up, -down]
            up = up.nextUp
            down = down.nextDown
        }
    }
    return inputs
}
