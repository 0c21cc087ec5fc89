import Foundation
import Synchronization
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR

/// Prepared calls (`PreparedCall`): repeat calls with the same argument shapes run from
/// evaluated sizes and a pointer table, with the same results and errors as the general path.
@Suite struct PlanRunnerPreparedTests {
    /// `dense()` without its reference step: h = tanh((x·W) * w + 0.25); outputs (h, x, the
    /// constant 0.25), so outputs come from fresh memory, an argument and a constant.
    static func denseKernels() -> Plan {
        var plan = PT.dense()
        plan.steps.removeLast()
        plan.outputs = [PT.b(4), PT.b(0), PT.b(6)]
        return plan
    }

    @Test func repeatCallsArePreparedAndMatchTheReference() throws {
        let runner = try PlanRunner(plan: Self.denseKernels(), compiler: KernelInterpreter())
        for n in [3, 5, 3, 1, 3, 0] {
            let arguments = PT.denseArguments(n: n, seed: UInt64(n))
            for _ in 0..<2 {
                let outputs = try runner.run(arguments)
                #expect(outputs.map(\.shape) == [[n, 4], [n, 3], [1]])
                #expect(PT.close(outputs[0].scalars, PT.denseReference(arguments[0], arguments[1], arguments[2]).1))
                #expect(outputs[1] == arguments[0] && outputs[2].scalars == [0.25])
            }
            #expect(try runner.profileSteps(arguments, repetitions: 1)?.map(\.step) == (n == 0 ? [1] : [0, 1]))
        }
        #expect(runner.arenas.arenasCreated == 4, "one arena per shape key")
    }

    @Test func outputsAreFreshAndIndependentOfLaterCalls() throws {
        let runner = try PlanRunner(plan: PT.chain(), compiler: KernelInterpreter())
        var first = try runner.run([KT.t([3], [1, 2, 3])])[0]
        let second = try runner.run([KT.t([3], [4, 5, 6])])[0]
        #expect(first.storage !== second.storage)
        #expect(first.scalars == [16, 32, 48] && second.scalars == [64, 80, 96])
        first.setDouble(0, at: 0)
        #expect(try runner.run([KT.t([3], [1, 2, 3])])[0].scalars == [16, 32, 48])
        #expect(second.scalars == [64, 80, 96])
    }

    @Test func wrongDtypeOrShapeAfterAPreparedCallStillThrows() throws {
        let runner = try PlanRunner(plan: Self.denseKernels(), compiler: KernelInterpreter())
        let good = PT.denseArguments(n: 2, seed: 1)
        _ = try runner.run(good)
        var wrongDtype = good
        wrongDtype[2] = Tensor(zeros: [4], dtype: .float64)
        #expect(throws: GraphError.self) { try runner.run(wrongDtype) }
        var wrongShape = good
        wrongShape[1] = Tensor(zeros: [3, 5])
        #expect(throws: GraphError.self) { try runner.run(wrongShape) }
        #expect(throws: GraphError.self) { try runner.run(Array(good.prefix(2))) }
        #expect(PT.close(try runner.run(good)[0].scalars, PT.denseReference(good[0], good[1], good[2]).1))
    }

    @Test func plansWithReferenceStepsTakeTheGeneralPath() throws {
        let runner = try PlanRunner(plan: PT.dense(), compiler: KernelInterpreter())
        let arguments = PT.denseArguments(n: 3, seed: 4)
        #expect(try runner.profileSteps(arguments) == nil)
        let (p, _) = PT.denseReference(arguments[0], arguments[1], arguments[2])
        #expect(PT.close(try runner.run(arguments)[0].scalars, p))
    }

    /// Empty products are left out; k = 0 scales C by beta (here C = 0 · a·b = 0).
    @Test(arguments: [(0, 3), (2, 0)])
    func emptyGemms(_ m: Int, _ k: Int) throws {
        let (rows, inner) = (Dim.symbol(.fresh(hint: "m")), Dim.symbol(.fresh(hint: "k")))
        let plan = Plan(kernels: [], buffers: [PT.arg(0, [rows, inner]), PT.arg(1, [inner, 2]), PT.temp([rows, 2])],
                        steps: [.gemm(GemmStep(a: PT.b(0), b: PT.b(1), c: PT.b(2), transA: false, transB: false,
                                               m: rows, n: 2, k: inner))],
                        outputs: [PT.b(2)], argumentCount: 2)
        let runner = try PlanRunner(plan: plan, compiler: KernelInterpreter())
        for _ in 0..<2 {
            let c = try runner.run([Tensor(ones: [m, k]), Tensor(ones: [k, 2])])[0]
            #expect(c.shape == [m, 2] && c.scalars == Array(repeating: 0, count: m * 2))
        }
    }

    @Test func stepProfileCoversEveryStep() throws {
        let runner = try PlanRunner(plan: PT.chain(), compiler: KernelInterpreter())
        let timings = try #require(try runner.profileSteps([Tensor(ones: [1000])], repetitions: 3))
        #expect(timings.map(\.step) == [0, 1, 2, 3])
        #expect(timings.allSatisfy { $0.seconds > 0 && $0.seconds < 1 })
    }

    @Test func concurrentPreparedCallsMatchSequentialOnes() throws {
        let runner = try PlanRunner(plan: Self.denseKernels(), compiler: KernelInterpreter())
        let calls = (0..<24).map { PT.denseArguments(n: 1 + $0 % 3, seed: UInt64($0)) }
        let sequential = try calls.map { try runner.run($0) }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 6) { thread in
            for round in 0..<10 {
                let i = (thread * 5 + round * 7) % calls.count
                do {
                    if try runner.run(calls[i]) != sequential[i] {
                        failures.withLock { $0.append("call \(i) differs") }
                    }
                } catch {
                    failures.withLock { $0.append("call \(i) threw \(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(runner.arenas.arenasCreated <= 3 * 6, "arenas are pooled per shape key")
    }
}
