import Foundation
import GraphIR
import Hypatia
import LLVMCodegen
import Testing

/// `RandomStreams`: reproducibility, the counter's default update, modes and thread counts.
struct RandomStreamsTests {
    /// x (a batch of unknown size) times a dropout mask shaped like x, plus a normal offset:
    /// random steps feeding a fused kernel.
    static func dropoutGraph(seed: UInt64) -> (RandomStreams, Variable, Variable) {
        let rng = RandomStreams(seed: seed)
        let x = matrix("x", shape: [nil, 300])
        let mask = rng.binomial(shape: x.shape, p: 0.5, dtype: .float32)
        return (rng, x, x * mask * 2 + rng.normal(shape: x.shape, std: 0.1))
    }

    static func batch(_ rows: Int) -> Tensor {
        try! Tensor(shape: [rows, 300], values: (0..<rows * 300).map { Double($0 % 17) - 8 }, dtype: .float32)
    }

    @Test func sameSeedSameNumbersAcrossFreshFunctions() throws {
        var runs: [[[Double]]] = []
        for seed: UInt64 in [11, 11, 12] {
            let rng = RandomStreams(seed: seed)
            let f = try function(inputs: [], outputs: [rng.uniform(shape: [50]), rng.normal(shape: [3, 4])])
            runs.append(try (0..<2).flatMap { _ in try f().map(\.scalars) })
        }
        #expect(runs[0] == runs[1])
        #expect(runs[0][0] != runs[2][0])
    }

    @Test func consecutiveCallsDifferAndAdvanceTheCounter() throws {
        let rng = RandomStreams(seed: 3)
        let f = try function(inputs: [], outputs: [rng.uniform(shape: [20])])
        let a = try f()[0].scalars, b = try f()[0].scalars
        #expect(a != b)
        #expect(rng.counter.value.scalars == [2])
        try rng.counter.setValue(Tensor(0, dtype: .int64))   // rewinding replays the draws
        #expect(try f()[0].scalars == a)
    }

    @Test func twoVariablesOfOneStreamDiffer() throws {
        let rng = RandomStreams(seed: 3)
        let (u, v) = (rng.uniform(shape: [20]), rng.uniform(shape: [20]))
        let f = try function(inputs: [], outputs: [u, v, u])
        let out = try f()
        #expect(out[0].scalars != out[1].scalars)
        #expect(out[0].scalars == out[2].scalars)   // one variable is one draw per call
        #expect(rng.counter.value.scalars == [1])   // one default update, however many variables
    }

    @Test func fastRunAndInterpretAgree() throws {
        var results: [[Double]] = []
        for mode in [Mode.fastRun, .interpret, .fastCompile] {
            let (_, x, y) = Self.dropoutGraph(seed: 99)
            let f = try function(inputs: [x], outputs: [y], mode: mode)
            results.append(try [7, 3, 7].flatMap { try f(Self.batch($0))[0].scalars })
        }
        #expect(results[0] == results[1])
        #expect(results[0] == results[2])
        #expect(results[0].count == (7 + 3 + 7) * 300)
    }

    /// Random steps run on the calling thread (reference steps) and each element is a function
    /// of its index, so the parallel runtime's thread count cannot change the numbers.
    @Test func oneAndTwoThreadsAgree() throws {
        var results: [[Double]] = []
        for threads in [1, 2] {
            let (_, x, y) = Self.dropoutGraph(seed: 5)
            let compiler = LLVMKernelCompiler(runtime: ParallelRuntime(threads: threads, serialThreshold: 0))
            let f = try function(inputs: [x], outputs: [y], mode: .fastRun, kernelCompiler: compiler)
            results.append(try [64, 64].flatMap { try f(Self.batch($0))[0].scalars })
        }
        #expect(results[0] == results[1])
    }

    @Test func maskShapeFollowsTheBatch() throws {
        let (_, x, y) = Self.dropoutGraph(seed: 1)
        let f = try function(inputs: [x], outputs: [y])
        #expect(try f(Self.batch(5))[0].shape == [5, 300])
        #expect(try f(Self.batch(2))[0].shape == [2, 300])
    }

    @Test func failedCallDoesNotAdvanceTheCounter() throws {
        let rng = RandomStreams(seed: 8)
        let x = matrix("x", dtype: .float64)
        let w = shared(Tensor(zeros: [3, 2], dtype: .float64), name: "w")
        let f = try function(inputs: [x], outputs: [dot(x, w) + rng.normal(shape: [2], dtype: .float64)])
        _ = try f(Tensor(zeros: [4, 3], dtype: .float64))
        #expect(rng.counter.value.scalars == [1])
        #expect(throws: GraphError.self) { try f(Tensor(zeros: [4, 5], dtype: .float64)) }
        #expect(rng.counter.value.scalars == [1])
    }

    @Test func explicitUpdateOverridesTheDefault() throws {
        let rng = RandomStreams(seed: 8)
        let r = rng.uniform(shape: [4])
        let f = try function(inputs: [], outputs: [r],
                             updates: [(rng.counter, rng.counter + constant(10, dtype: .int64))])
        _ = try f()
        _ = try f()
        #expect(rng.counter.value.scalars == [20])
        let frozen = try function(inputs: [], outputs: [r], updates: [(rng.counter, rng.counter * constant(1, dtype: .int64))])
        #expect(try frozen()[0].scalars == frozen()[0].scalars)
    }

    @Test func functionsNotReachingTheCounterLeaveIt() throws {
        let rng = RandomStreams(seed: 8)
        _ = rng.uniform(shape: [4])
        let x = vector("x")
        _ = try function(inputs: [x], outputs: [x * 2])(Tensor(shape: [1], values: [1], dtype: .float32))
        #expect(rng.counter.value.scalars == [0])
    }

    @Test func randomMaskHasNoGradientButPassesOne() throws {
        let rng = RandomStreams(seed: 4)
        let w = shared(try Tensor(shape: [6], values: [1, 2, 3, 4, 5, 6], dtype: .float64), name: "w")
        let mask = rng.binomial(shape: [6], p: 0.5, dtype: .float64)
        let g = grad((w * mask).sum(), wrt: [w])[0]
        let f = try function(inputs: [], outputs: [mask, g])
        let out = try f()
        #expect(out[1].scalars == out[0].scalars)
    }

    static let badCalls: [(String, @Sendable (RandomStreams) -> Variable, GraphError.Kind)] = [
        ("low > high", { $0.uniform(shape: [2], low: 1, high: 0) }, .argument),
        ("negative std", { $0.normal(shape: [2], std: -1) }, .argument),
        ("p > 1", { $0.binomial(shape: [2], p: 2) }, .argument),
        ("n too large", { $0.binomial(shape: [2], n: 5000) }, .argument),
        ("int uniform", { $0.uniform(shape: [2], dtype: .int32) }, .dtype),
        ("negative extent", { $0.normal(shape: [-2]) }, .argument),
    ]

    @Test(arguments: badCalls)
    func badParametersThrowAtTheUsersLine(_ label: String, _ make: @Sendable (RandomStreams) -> Variable,
                                          _ kind: GraphError.Kind) {
        let r = make(RandomStreams(seed: 0))
        do {
            _ = try function(inputs: [], outputs: [r])
            Issue.record("\(label): no error")
        } catch let error as GraphError {
            #expect(error.kind == kind, "\(label)")
            #expect(error.op == "random")
            #expect(error.location?.fileID.hasSuffix("RandomStreamsTests.swift") == true)
        } catch {
            Issue.record("\(label): \(error)")
        }
    }
}
