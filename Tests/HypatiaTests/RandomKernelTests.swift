import Foundation
import Hypatia
import LLVMCodegen
import Testing

/// Random streams drawn inside compiled LLVM kernels (Philox4x32-10 per element) against the
/// reference interpreter; moments, reproducibility, thread counts, fusion of dropout.
struct RandomKernelTests {
    /// A distribution drawn shaped like a batch `x` of unknown size.
    struct Case: Sendable, CustomStringConvertible {
        let description: String
        let make: @Sendable (RandomStreams, SymbolicShape) -> Variable
        /// Normal draws are compared to a few ulp, the others bit for bit.
        var exact = true
    }

    static let cases: [Case] = [
        Case(description: "uniform[-1,3) f32") { $0.uniform(shape: $1, low: -1, high: 3) },
        Case(description: "uniform f64") { $0.uniform(shape: $1, dtype: .float64) },
        Case(description: "binomial(1, 0.8) f32") { $0.binomial(shape: $1, p: 0.8, dtype: .float32) },
        Case(description: "binomial(1, 0.5) bool") { $0.binomial(shape: $1, dtype: .bool) },
        Case(description: "binomial(5, 0.3) i32") { $0.binomial(shape: $1, n: 5, p: 0.3, dtype: .int32) },
        Case(description: "normal(2, 0.5) f32", make: { $0.normal(shape: $1, mean: 2, std: 0.5) }, exact: false),
        Case(description: "normal f64", make: { $0.normal(shape: $1, dtype: .float64) }, exact: false),
    ]

    static func batch(_ rows: Int, columns: Int = 300) -> Tensor {
        Tensor(zeros: [rows, columns], dtype: .float32)
    }

    /// Three calls (batches of 7, 3, 7 rows) of `make`, compiled in `mode`; and the kernel dump.
    static func draws(_ make: (RandomStreams, SymbolicShape) -> Variable, _ mode: Mode,
                      compiler: LLVMKernelCompiler? = nil, rows: [Int] = [7, 3, 7]) throws -> ([Double], String) {
        let rng = RandomStreams(seed: 0xC0FFEE)
        let x = matrix("x", shape: [nil, 300])
        let y = make(rng, x.shape)
        let f = try compiler.map { try function(inputs: [x], outputs: [y], mode: mode, kernelCompiler: $0) }
            ?? function(inputs: [x], outputs: [y], mode: mode)
        return (try rows.flatMap { try f(Self.batch($0))[0].scalars }, mode == .interpret ? "" : f.dump(.kernels))
    }

    @Test(arguments: cases)
    func compiledDrawsMatchTheInterpreter(_ c: Case) throws {
        let (compiled, plan) = try Self.draws(c.make, .fastRun)
        let (reference, _) = try Self.draws(c.make, .interpret)
        #expect(!plan.contains("reference"), "random should be fused:\n\(plan)")
        #expect(compiled.count == reference.count)
        if c.exact {
            #expect(compiled == reference)
        } else {
            let worst = zip(compiled, reference).map { abs($0 - $1) / (0x1p-52 * max(1e-300, abs($1))) }.max()!
            #expect(worst <= 4, "\(worst) ulp")
        }
    }

    /// The moments of compiled draws (the interpreter's moment cases, run on LLVM).
    @Test(arguments: RandomStreamsMomentTests.cases)
    func compiledMoments(_ c: RandomStreamsMomentTests.Case) throws {
        let rng = RandomStreams(seed: 77)
        let t = try function(inputs: [], outputs: [c.make(rng, [1000, 100], c.dtype)], mode: .fastRun)()[0]
        #expect(t.dtype == c.dtype && t.shape == [1000, 100])
        let xs = t.scalars
        #expect(xs.allSatisfy(c.valid))
        let n = Double(xs.count), mean = xs.reduce(0, +) / n
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        #expect(abs(mean - c.mean) < 5 * (c.variance / n).squareRoot(), "mean \(mean)")
        #expect(abs(variance - c.variance) < 0.05 * c.variance, "variance \(variance)")
    }

    /// Two compiled functions of streams with one seed draw the same numbers (also when the
    /// draw is fused with other work); successive calls draw new ones.
    @Test func sameSeedSameNumbersAndSuccessiveCallsDiffer() throws {
        let (rng1, rng2) = (RandomStreams(seed: 42), RandomStreams(seed: 42))
        let alone = try function(inputs: [], outputs: [rng1.uniform(shape: [4096])])
        let u = rng2.uniform(shape: [4096])
        let fused = try function(inputs: [], outputs: [u * 2 + 1, u.sum()])
        let first = try alone()[0].scalars, second = try alone()[0].scalars
        #expect(first != second)
        let other = try fused()[0].scalars
        #expect(other == first.map { Double(Float(Float($0) * 2 + 1)) })
        #expect(try fused()[0].scalars == second.map { Double(Float(Float($0) * 2 + 1)) })
    }

    /// The parallel outer loops give identical bits with 1 and 2 threads.
    @Test(arguments: cases)
    func oneAndTwoThreadsAgree(_ c: Case) throws {
        var results: [[Double]] = []
        for threads in [1, 2] {
            let compiler = LLVMKernelCompiler(runtime: ParallelRuntime(threads: threads, serialThreshold: 0))
            results.append(try Self.draws(c.make, .fastRun, compiler: compiler, rows: [512, 513]).0)
        }
        #expect(results[0] == results[1])
    }

    /// Dropout `x * binomial(keep) / keep` is one vectorized kernel with the interpreter's values.
    @Test func dropoutIsOneKernel() throws {
        var outputs: [[Double]] = []
        var plan = "", ir = ""
        for mode in [Mode.fastRun, .interpret] {
            let rng = RandomStreams(seed: 1)
            let x = matrix("x", shape: [nil, 300])
            let f = try function(inputs: [x], outputs: [x * rng.binomial(shape: x.shape, p: 0.8, dtype: .float32) / 0.8],
                                 mode: mode)
            var generator = RandomGenerator(seed: 9)
            let batch = Tensor(randomUniform: [64, 300], in: -1...1, dtype: .float32, generator: &generator)
            outputs.append(try f(batch)[0].scalars + f(batch)[0].scalars)
            if mode == .fastRun { (plan, ir) = (f.dump(.kernels), f.dump(.llvm)) }
        }
        #expect(outputs[0] == outputs[1])
        // The dropout is one kernel; the only other one adds 1 to the stream's counter.
        let kernels = plan.components(separatedBy: "\nkernel @").dropFirst()
        #expect(kernels.count == 2 && !plan.contains("reference"), "\(plan)")
        #expect(kernels.filter { $0.contains("load %x") && $0.contains("bitXor") }.count == 1, "\(plan)")
        #expect(kernels.contains { $0.contains("add(load %randomCounter[0], 1_i64)") && !$0.contains("%x") }, "\(plan)")
        #expect(ir.contains(" x i64>"), "the Philox rounds should vectorize")
        let kept = outputs[0].filter { $0 != 0 }.count
        #expect(abs(Double(kept) / Double(outputs[0].count) - 0.8) < 0.02)
    }
}
