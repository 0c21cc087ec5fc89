import GraphIR
import Hypatia
import KernelIR
import LLVMCodegen

/// Which executor the timed functions run on (`--backend`).
enum BenchBackend: String, Sendable, CaseIterable {
    /// Whatever `function(...)` compiles to.
    case `default`
    /// The plan backend driven directly: `lower(graph)` → `LLVMKernelCompiler` → `PlanRunner`
    /// (a hidden option until `function(...)` uses it by default).
    case plan
}

/// A compiled function the workloads call: `function(...)`'s result or a `PlanFunction`.
struct BenchFunction: Sendable {
    let call: @Sendable ([Tensor]) throws -> [Tensor]

    /// Compiles like `function(inputs:outputs:updates:name:)` on `backend`; `threads` sizes
    /// the plan backend's parallel runtime.
    init(inputs: [Variable], outputs: [Variable], updates: [(SharedVariable, Variable)] = [], name: String,
         backend: BenchBackend, threads: Int) throws {
        switch backend {
        case .default:
            let f = try function(inputs: inputs, outputs: outputs, updates: updates, name: name)
            call = { try f.call($0) }
        case .plan:
            let f = try PlanFunction(inputs: inputs, outputs: outputs, updates: updates, name: name,
                                     runtime: ParallelRuntime(threads: threads))
            call = { try f.call($0) }
        }
    }
}

/// The plan backend behind a `CompiledFunction`-like call: the graph is built, interned and
/// optimized as `function(...)` does, lowered to a plan whose kernels LLVM compiles, and run
/// by a `PlanRunner` with the shared values appended and the updates written back.
final class PlanFunction: Sendable {
    let runner: PlanRunner
    let outputCount: Int
    private let sharedReads: [SharedStorage]
    private let updateTargets: [SharedStorage]
    private let lockOrder: [SharedStorage]

    init(inputs: [Variable], outputs: [Variable], updates: [(SharedVariable, Variable)], name: String,
         runtime: ParallelRuntime) throws {
        var graph = Graph(name: name, inputs: inputs.map(\.node),
                          outputs: outputs.map(\.node) + updates.map(\.1.node), outputCount: outputs.count)
        graph.updateTargets = updates.map(\.0.storage)
        graph = intern(graph)
        graph = try Pipeline.standard(.fastRun).run(graph, mode: "fastRun").0
        let plan = try lower(graph)
        runner = try PlanRunner(plan: plan, executor: LLVMKernelCompiler(runtime: runtime).compile(plan.kernels))
        outputCount = outputs.count
        sharedReads = graph.sharedInputs.map { node in
            guard case .shared(let storage) = node.op else { preconditionFailure("sharedInputs holds \(node)") }
            return storage
        }
        updateTargets = graph.updateTargets
        var unique: [ObjectIdentifier: SharedStorage] = [:]
        for storage in sharedReads + updateTargets { unique[ObjectIdentifier(storage)] = storage }
        lockOrder = unique.keys.sorted().map { unique[$0]! }
    }

    /// Runs with the shared values locked and writes the updates back.
    func call(_ arguments: [Tensor]) throws -> [Tensor] {
        if updateTargets.isEmpty, sharedReads.isEmpty { return try runner.run(arguments) }
        for storage in lockOrder { storage.lock() }
        defer { for storage in lockOrder.reversed() { storage.unlock() } }
        let results = try runner.run(arguments + sharedReads.map(\.valueWhileLocked))
        for (target, value) in zip(updateTargets, results[outputCount...]) { target.setValueWhileLocked(value) }
        return Array(results[..<outputCount])
    }
}
