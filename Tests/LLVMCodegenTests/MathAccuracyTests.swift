import Foundation
import Testing
@testable import LLVMCodegen

/// Accuracy of the inline vector math against float64 references, and its exact specials.
@Suite struct MathAccuracyTests {
    /// Sweep stride over the 2^32 bit patterns; HYPATIA_VMATH_STRIDE overrides (1 = all).
    static let stride: UInt64 = ProcessInfo.processInfo.environment["HYPATIA_VMATH_STRIDE"]
        .flatMap { UInt64($0) } ?? 4099

    /// Inputs near each function's overflow, underflow, branch and reduction boundaries.
    static func thresholds(_ function: MathFunction) -> [Float] {
        switch function {
        case .exp: [88.72283, 88.72284, -87.33654, -103.27893, -103.97208, 0.34657359, 1.0397208]
        case .expm1: [88.72283, 88.72284, -17.328680, 0.34657359, 1.0397208, 0x1p-24]
        case .log: [0.70710677, 1.4142135, 1, 0.5, 2, Float.leastNormalMagnitude]
        case .log1p: [-1, -0.29289323, 0.41421357, 1, 2, 0x1p-24, 16_777_216]
        case .tanh: [0.625, 9.010913, 10, 0x1p-12]
        case .sigmoid: [88.72283, 87.33654, 103.27893, 103.97208, 16.635532]
        case .softplus: [88.72283, 87.33654, 103.27893, 103.97208, 16.635532]
        case .erf: [1, 3.9192059, 4, 0x1p-12]
        }
    }

    @Test(arguments: MathFunction.allCases)
    func strideSweepWithinFourUlp(_ function: MathFunction) throws {
        let start = ContinuousClock.now
        let kernel = try MathKernel(function, jit: JITCompiler())
        let inputs = strideSweep(stride: Self.stride) + edgeInputs(thresholds: Self.thresholds(function))
        let report = AccuracyReport.measure(kernel, on: inputs)
        print("\(function.rawValue): \(report) in \(ContinuousClock.now - start)")
        #expect(report.maxUlp <= 4, "\(function.rawValue): \(report)")
    }

    /// Results that must be exact (bit-for-bit, sign of zero included; any NaN for NaN).
    static func specials(_ function: MathFunction) -> [(input: Float, expected: Float)] {
        let inf = Float.infinity, tiny = Float.leastNonzeroMagnitude, big = Float.greatestFiniteMagnitude
        let cases: [(Float, Float)]
        switch function {
        case .exp: cases = [(-inf, 0), (inf, inf), (0, 1), (-0.0, 1), (89, inf), (1000, inf),
                            (-1000, 0), (-104, 0), (big, inf), (-big, 0), (tiny, 1)]
        case .log: cases = [(0, -inf), (-0.0, -inf), (-1, .nan), (-inf, .nan), (inf, inf), (1, 0), (-tiny, .nan)]
        case .log1p: cases = [(-1, -inf), (-2, .nan), (-inf, .nan), (inf, inf), (0, 0), (-0.0, -0.0),
                              (tiny, tiny), (-tiny, -tiny)]
        case .expm1: cases = [(-inf, -1), (inf, inf), (0, 0), (-0.0, -0.0), (100, inf), (-100, -1),
                              (big, inf), (-tiny, -tiny)]
        case .tanh: cases = [(inf, 1), (-inf, -1), (0, 0), (-0.0, -0.0), (20, 1), (-20, -1), (0x1p-133, 0x1p-133)]
        case .sigmoid: cases = [(inf, 1), (-inf, 0), (0, 0.5), (-0.0, 0.5), (100, 1), (-200, 0)]
        case .softplus: cases = [(inf, inf), (-inf, 0), (1e30, 1e30), (100, 100), (-200, 0), (big, big)]
        case .erf: cases = [(inf, 1), (-inf, -1), (0, 0), (-0.0, -0.0), (5, 1), (-5, -1), (3.95, 1)]
        }
        return (cases + [(Float.nan, Float.nan)]).map { (input: $0.0, expected: $0.1) }
    }

    @Test(arguments: MathFunction.allCases)
    func specialValuesAreExact(_ function: MathFunction) throws {
        let cases = Self.specials(function)
        let kernel = try MathKernel(function, jit: JITCompiler())
        let outputs = kernel(cases.map(\.input))
        for ((x, expected), y) in zip(cases, outputs) {
            let exact = expected.isNaN ? y.isNaN : y.bitPattern == expected.bitPattern
            #expect(exact, "\(function.rawValue)(\(x)) = \(y), expected \(expected)")
        }
    }

    /// Denormal results in the tails are kept (gradual underflow), not flushed to zero.
    @Test func denormalTailsAreKept() throws {
        let jit = try JITCompiler()
        let exp = try MathKernel(.exp, jit: jit)(([-90, -100, -103]))
        let sigmoid = try MathKernel(.sigmoid, jit: jit)([-90, -100, -103])
        for (value, x) in zip(exp + sigmoid, [-90.0, -100, -103, -90, -100, -103]) {
            #expect(value > 0 && value < Float.leastNormalMagnitude, "tail at \(x) = \(value)")
            #expect(ulpError(value, reference: Foundation.exp(x)) <= 4)
        }
    }
}

/// The JIT-side checker used for exhaustive runs agrees with the Swift-side measurement.
@Suite struct ExhaustiveCheckerTests {
    @Test(arguments: [MathFunction.sigmoid, .softplus, .log1p, .erf])
    func checkerMatchesSwiftMeasurement(_ function: MathFunction) throws {
        let jit = try JITCompiler()
        let checker = try ExhaustiveChecker(function, jit: jit)
        let kernel = try MathKernel(function, jit: jit)
        // Bit patterns around 1.0 and around -1.0, then the NaN/inf region.
        for start: Int64 in [0x3f7f_0000, 0xbf7f_0000, 0x7f7f_0000] {
            let inputs = (start..<start + 0x3_0000).map { Float(bitPattern: UInt32($0)) }
            let swift = AccuracyReport.measure(kernel, on: inputs)
            let jitted = checker.measure(start: start, count: 0x3_0000)
            #expect(Swift.abs(jitted.maxUlp - swift.maxUlp) < 1e-9, "\(function): \(jitted) vs \(swift)")
        }
    }
}

/// All 2^32 inputs per function (opt-in: HYPATIA_VMATH_EXHAUSTIVE=1; about a minute each).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["HYPATIA_VMATH_EXHAUSTIVE"] == "1"))
struct ExhaustiveAccuracyTests {
    @Test(arguments: MathFunction.allCases)
    func allFloatsWithinFourUlp(_ function: MathFunction) throws {
        let checker = try ExhaustiveChecker(function, jit: JITCompiler())
        let clock = ContinuousClock()
        var result = (maxUlp: 0.0, worst: Float(0))
        let elapsed = clock.measure { result = checker.run() }
        let x = result.worst
        print("exhaustive \(function.rawValue): max \(String(format: "%.3f", result.maxUlp)) ulp at x=\(x)"
              + " (0x\(String(x.bitPattern, radix: 16))) in \(elapsed)")
        #expect(result.maxUlp <= 4)
    }
}
