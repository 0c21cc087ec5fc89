import Foundation
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
    /// The plan backend's function (nil on the default backend).
    let planFunction: PlanFunction?

    /// Compiles like `function(inputs:outputs:updates:name:)` on `backend`; `threads` sizes
    /// the plan backend's parallel runtime.
    init(inputs: [Variable], outputs: [Variable], updates: [(SharedVariable, Variable)] = [], name: String,
         backend: BenchBackend, threads: Int) throws {
        switch backend {
        case .default:
            let f = try function(inputs: inputs, outputs: outputs, updates: updates, name: name)
            call = { try f.call($0) }
            planFunction = nil
        case .plan:
            let f = try PlanFunction(inputs: inputs, outputs: outputs, updates: updates, name: name,
                                     runtime: ParallelRuntime(threads: threads),
                                     dumpDirectory: ProcessInfo.processInfo.environment["HYPATIA_BENCH_DUMP"])
            call = { try f.call($0) }
            planFunction = f
        }
    }
}

/// The plan backend behind a `CompiledFunction`-like call: the graph is built, interned and
/// optimized as `function(...)` does, lowered to a plan whose kernels LLVM compiles, and run
/// by a `PlanRunner` with the shared values appended and the updates written back.
final class PlanFunction: Sendable {
    let runner: PlanRunner
    let executor: LLVMKernelExecutor
    let outputCount: Int
    private let sharedReads: [SharedStorage]
    private let updateTargets: [SharedStorage]
    private let lockOrder: [SharedStorage]

    /// Also writes `<name>.plan.txt` and the optimized IR `<name>.ll` into `dumpDirectory`.
    init(inputs: [Variable], outputs: [Variable], updates: [(SharedVariable, Variable)], name: String,
         runtime: ParallelRuntime, dumpDirectory: String? = nil) throws {
        var graph = Graph(name: name, inputs: inputs.map(\.node),
                          outputs: outputs.map(\.node) + updates.map(\.1.node), outputCount: outputs.count)
        graph.updateTargets = updates.map(\.0.storage)
        graph = intern(graph)
        graph = try Pipeline.standard(.fastRun).run(graph, mode: "fastRun").0
        let plan = try lower(graph)
        executor = try LLVMKernelCompiler(runtime: runtime, captureIR: dumpDirectory != nil)
            .compileKernels(plan.kernels)
        runner = try PlanRunner(plan: plan, executor: executor)
        if let dumpDirectory {
            let base = dumpDirectory + "/" + name
            try printPlan(plan).write(toFile: base + ".plan.txt", atomically: true, encoding: .utf8)
            try (executor.optimizedIR ?? "").write(toFile: base + ".ll", atomically: true, encoding: .utf8)
            let unoptimized = try LLVMKernelCompiler(runtime: runtime, optimize: false).compileKernels(plan.kernels)
            try (unoptimized.optimizedIR ?? "").write(toFile: base + ".O0.ll", atomically: true, encoding: .utf8)
        }
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

    var sharedValues: [Tensor] { sharedReads.map(\.value) }

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


extension PlanFunction {
    /// Prints the fastest time of each plan step on `arguments` (`--profile-steps`).
    func printStepProfile(_ arguments: [Tensor]) throws {
        guard let timings = try runner.profileSteps(arguments + sharedValues, repetitions: 30) else {
            print("  (no step profile: this call is not prepared)")
            return
        }
        let plan = runner.plan
        for timing in timings {
            let what: String
            switch plan.steps[timing.step] {
            case .kernel(let k, _, _): what = "kernel @\(plan.kernels[k].name)"
            case .gemm(let g):
                what = "gemm m=\(g.m) n=\(g.n) k=\(g.k)" + (g.transA ? " A^T" : "") + (g.transB ? " B^T" : "")
            case .reference(let node, _, _): what = "reference \(node.op.name)"
            }
            print("    step \(timing.step): \(what): \(format(timing.seconds * 1e3)) ms")
        }
        print("    sum of steps: \(format(timings.reduce(0) { $0 + $1.seconds } * 1e3)) ms")
    }
}
