import Foundation
import Hypatia
import Testing

/// What a compiled function dumps: the plan's kernels, the LLVM IR, and the compile report
/// with the backend's stages; the kernel cache.
@Suite struct BackendDumpTests {
    /// The W1 benchmark's expression: one fused, vectorized elementwise kernel (`c` varies it,
    /// so that it is not compiled by another test and found in the kernel cache).
    static func w1(mode: Mode = .fastRun, name: String = "w1", c: Double = 0.5) throws -> CompiledFunction {
        let x = vector("x"), a = scalar("a"), b = scalar("b")
        let out = tanh(a * x + b) * sigmoid(x) - exp(-x * x) * c
        return try function(inputs: [x, a, b], outputs: [out], mode: mode, name: name)
    }

    @Test func kernelsDumpShowsTheFusedLoop() throws {
        let text = try Self.w1().dump(.kernels)
        #expect(text.hasPrefix("plan @w1(3 arguments)"), "\(text)")
        #expect(text.contains("kernel @k0(") && text.contains("for %") && text.contains("tanh")
                && text.contains("sigmoid") && text.contains("exp"), "\(text)")
        #expect(!text.contains("kernel @k1("), "one fused kernel expected:\n\(text)")
    }

    @Test func llvmDumpShowsVectorizedCode() throws {
        let f = try Self.w1()
        let ir = f.dump(.llvm)
        #expect(ir.contains("<8 x float>") || ir.contains("<16 x float>"), "\(ir.prefix(2000))")
        #expect(ir.contains("define ") && ir.contains("hypatia.k0"), "\(ir.prefix(2000))")
        let x = try Tensor(shape: [5], scalars: [Float(-2), -0.5, 0, 0.5, 2])
        let got = try f(x, Float(1.5), Float(-0.25))[0].scalars
        let want = x.scalars.map { v in
            Foundation.tanh(1.5 * v - 0.25) / (1 + Foundation.exp(-v)) - Foundation.exp(-v * v) * 0.5
        }
        #expect(close(got, want, tolerance: 2e-6), "\(got) vs \(want)")
    }

    @Test func reportTimesEveryStage() throws {
        let report = try Self.w1(mode: .fastCompile, name: "w1report", c: 0.375).dump(.report)
        #expect(report.hasPrefix("compile report @w1report (fastCompile)"), "\(report)")
        let stages = ["canonicalize", "lower", "llvm build", "llvm verify", "llvm optimize", "llvm codegen", "prepare"]
        for stage in stages {
            #expect(report.contains("\n  \(stage) "), "\(stage) missing:\n\(report)")
        }
        let interpreted = try Self.w1(mode: .interpret).dump(.report)
        #expect(interpreted.contains("\n  prepare ") && !interpreted.contains("llvm"), "\(interpreted)")
    }

    @Test func compilingTheSameFunctionTwiceReusesTheModule() throws {
        let first = try Self.w1(name: "w1cache", c: 0.625)
        #expect(!first.dump(.report).contains("reused from the kernel cache"))
        let second = try Self.w1(name: "w1cache", c: 0.625)
        #expect(second.report.passes.contains { $0.name == "llvm cached" }, "\(second.dump(.report))")
        #expect(second.dump(.report).contains("reused from the kernel cache"))
        #expect(first.dump(.llvm) == second.dump(.llvm))
        let x = Tensor([Float(0.25), 1])
        #expect(try first(x, Float(2), Float(0))[0] == second(x, Float(2), Float(0))[0])
    }

    @Test func interpretModeHasNoPlanOrModule() throws {
        let f = try Self.w1(mode: .interpret)
        #expect(f.dump(.kernels) == "// w1: no kernels (mode .interpret)\n")
        #expect(f.dump(.llvm) == "; w1: no LLVM module (mode .interpret)\n")
    }
}
