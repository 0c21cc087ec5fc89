import Foundation
import Synchronization
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR

/// `f(x: f32[?n], y: f32[?n]) -> x * y + 1 (tanh)` as a plan and as a graph for the reference
/// interpreter, so argument errors can be compared message for message.
private enum AT {
    static let n = Dim.symbol(.fresh(hint: "n"))
    static let x = KT.input("x", .float32, [n]), y = KT.input("y", .float32, [n])

    static let plan: Plan = {
        var plan = Plan(kernels: [KT.elementwise], buffers: [PT.arg(0, [n]), PT.arg(1, [n]), PT.temp([n])],
                        steps: [.kernel(0, buffers: [PT.b(0), PT.b(1), PT.b(2)], params: [n])],
                        outputs: [PT.b(2)], argumentCount: 2)
        plan.name = "f"
        plan.argumentLabels = ["'x'", "'y'"]
        return plan
    }()

    static let graph = Graph(name: "f", inputs: [x, y], outputs: [Node.make(.elementwise(.mul), [x, y], at: KT.loc)],
                             outputCount: 1)

    static let badCalls: [(String, [Tensor])] = [
        ("f takes 2 arguments ('x', 'y'), got 1", [KT.t([3], [1, 2, 3])]),
        ("argument 'y' has dtype float64, expected float32 (f32[?n])", [KT.t([2], [1, 2]), KT.t([2], [1, 2], .float64)]),
        ("argument 'y' has shape [5], expected f32[?n] with ?n = 4", [KT.t([4], [1, 2, 3, 4]), KT.t([5], [1, 2, 3, 4, 5])]),
        ("argument 'x' has shape [2, 2], expected f32[?n]", [KT.t([2, 2], [1, 2, 3, 4]), KT.t([2], [1, 2])]),
        ("argument 'x' has shape [], expected f32[?n]", [KT.t([], [1]), KT.t([2], [1, 2])]),
    ]
}

@Suite struct PlanRunnerArgumentsTests {
    @Test(arguments: AT.badCalls)
    func inputErrorsMirrorTheReferenceInterpreter(_ message: String, _ arguments: [Tensor]) throws {
        let runner = try PlanRunner(plan: AT.plan, compiler: KernelInterpreter())
        let reference = try ReferenceBackend().compile(AT.graph)
        let expected = GraphError(.input, op: "call", message)
        #expect(throws: expected) { try runner.run(arguments) }
        #expect(throws: expected) { try reference.run(arguments) }
    }

    @Test func symbolsBindFromArgumentShapes() throws {
        let runner = try PlanRunner(plan: AT.plan, compiler: KernelInterpreter())
        for n in [0, 1, 7] {
            let out = try runner.run([Tensor(zeros: [n]), Tensor(ones: [n])])[0]
            #expect(out.shape == [n])
            #expect(out.scalars == Array(repeating: Double(Float(Foundation.tanh(1.0))), count: n))
        }
    }

    @Test func unlabelledArgumentsAreNumbered() throws {
        var plan = AT.plan
        plan.argumentLabels = []
        let runner = try PlanRunner(plan: plan, compiler: KernelInterpreter())
        #expect(throws: GraphError(.input, op: "call", "f takes 2 arguments, got 0")) { try runner.run([]) }
        #expect(throws: GraphError(.input, op: "call", "argument 1 has dtype int32, expected float32 (f32[?n])")) {
            try runner.run([Tensor(zeros: [1]), Tensor(zeros: [1], dtype: .int32)])
        }
    }

    @Test func outputsAreFreshPerCall() throws {
        let runner = try PlanRunner(plan: PT.dense(), compiler: KernelInterpreter())
        let first = try runner.run(PT.denseArguments(n: 3, seed: 1))
        let snapshot = first.map(\.scalars)
        let second = try runner.run(PT.denseArguments(n: 3, seed: 2))
        #expect(first.map(\.scalars) == snapshot, "a later call overwrote an earlier call's outputs")
        #expect(first[0].scalars != second[0].scalars)
        for (a, b) in zip(first, second) { #expect(a.storage !== b.storage) }
        var mutated = second[1]
        mutated.setDouble(42, at: 0)
        let third = try runner.run(PT.denseArguments(n: 3, seed: 2))
        #expect(third[1].scalars == second[1].scalars)
    }

    @Test func concurrentCallsMatchSequentialOnes() throws {
        let runner = try PlanRunner(plan: PT.dense(), compiler: KernelInterpreter())
        let calls = (0..<24).map { PT.denseArguments(n: 2 + $0 % 3, seed: UInt64($0)) }
        let sequential = try calls.map { try runner.run($0) }
        let results = Mutex<[Int: [Tensor]]>([:])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 6) { thread in
            for round in 0..<8 {
                let i = (thread * 5 + round * 7) % calls.count
                do {
                    let outputs = try runner.run(calls[i])
                    if outputs != sequential[i] { failures.withLock { $0.append("call \(i) differs") } }
                    results.withLock { $0[i] = outputs }
                } catch {
                    failures.withLock { $0.append("call \(i) threw \(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(results.withLock { $0.count } > 10)
        #expect(runner.arenas.arenasCreated <= 3 * 6, "arenas are pooled per shape key")
    }
}
