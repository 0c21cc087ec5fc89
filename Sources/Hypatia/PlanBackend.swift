import Foundation
import GraphIR
import KernelIR
import LLVMCodegen

/// What a backend made of an optimized graph: the executable that runs it and what dumps and
/// reports show about it.
struct Program: Sendable {
    let executable: any Executable
    /// The lowered plan (nil when the graph runs on the reference interpreter).
    let plan: Plan?
    /// The plan's compiled kernels (nil when the graph runs on the reference interpreter).
    let kernels: (any KernelExecutor)?
    /// True if the kernels came from the process-wide kernel cache.
    let kernelCacheHit: Bool
    /// Time spent after the rewrites: lowering, LLVM stages, preparing the executable.
    let stages: [CompileStage]
}

/// Compiles a graph for a mode: the boundary between `function(...)` and the backends.
///
/// `kernelCompiler` replaces LLVM for the plan's kernels (a package-level seam: tests use it
/// to inject a wrong kernel and check that `.debug` finds it); nil compiles with LLVM through
/// the process-wide `KernelCache`.
func compileProgram(_ graph: Graph, mode: Mode, kernelCompiler: (any KernelCompiler)? = nil) throws -> Program {
    switch mode {
    case .fastRun, .fastCompile:
        let parts = try PlanBackend(compiler: kernelCompiler, inPlace: PlanBackend.inPlaceEnabled).compileParts(graph)
        return try parts.program { try PlanRunner(plan: parts.plan, executor: parts.executor) }
    case .debug:
        let parts = try PlanBackend(compiler: kernelCompiler).compileParts(graph)
        return try parts.program { try DebugExecutable(plan: parts.plan, executor: parts.executor) }
    case .interpret:
        var timer = StageTimer()
        let executable = try ReferenceBackend().compile(graph)
        timer.record("prepare")
        return Program(executable: executable, plan: nil, kernels: nil, kernelCacheHit: false,
                       stages: timer.stages)
    }
}

/// The plan backend: lowers a graph to a plan of fused kernels, compiles the kernels, and
/// runs the plan with a `PlanRunner`.
struct PlanBackend: Sendable {
    /// Compiles the kernels; nil uses LLVM through `KernelCache.shared`.
    let compiler: (any KernelCompiler)?
    /// Whether the plan writes elementwise results in place over dead inputs and shared
    /// updates into the variables' memory (not for `.debug`, which checks every value the
    /// plan materializes after the call).
    var inPlace = false

    /// False when the environment sets `HYPATIA_IN_PLACE=0` (to compare timings and rule the
    /// in-place rewrites out when chasing a wrong result).
    static let inPlaceEnabled = ProcessInfo.processInfo.environment["HYPATIA_IN_PLACE"] != "0"

    /// A lowered plan, its compiled kernels, and the time each stage took.
    struct Parts {
        let plan: Plan
        let executor: any KernelExecutor
        let cacheHit: Bool
        var timer: StageTimer

        /// The program whose executable `make` prepares (timed as `prepare`).
        func program(_ make: () throws -> any Executable) throws -> Program {
            var timer = self.timer
            let executable = try make()
            timer.record("prepare")
            return Program(executable: executable, plan: plan, kernels: executor, kernelCacheHit: cacheHit,
                           stages: timer.stages)
        }
    }

    /// Lowers `graph` and compiles its kernels.
    func compileParts(_ graph: Graph) throws -> Parts {
        var timer = StageTimer()
        var plan = try lower(graph)
        if inPlace {
            plan = plan.updatingInPlace(Self.updates(of: graph)).foldingGemmUpdates().writingTemporariesInPlace()
        }
        timer.record("lower")
        if let compiler {
            let executor = try compiler.compile(plan.kernels)
            timer.record("kernels")
            return Parts(plan: plan, executor: executor, cacheHit: false, timer: timer)
        }
        // The optimized IR is always kept for dump(.llvm): printing it costs a few percent of
        // the compile (within the noise of O3 + codegen) and ~0.4 MB for an MLP training step.
        let (executor, hit) = try KernelCache.shared.executor(for: plan.kernels) {
            try LLVMKernelCompiler(captureIR: true).compileKernels(plan.kernels)
        }
        if hit {
            timer.record("llvm cached", note: "module \(executor.moduleName) reused from the kernel cache")
        } else {
            let llvm = executor.timings
            timer.skip(llvm.total, [("llvm build", llvm.build), ("llvm verify", llvm.verify),
                                    ("llvm optimize", llvm.optimize), ("llvm codegen", llvm.codegen)],
                       note: "module \(executor.moduleName), \(plan.kernels.count) kernels")
        }
        return Parts(plan: plan, executor: executor, cacheHit: hit, timer: timer)
    }
}

extension PlanBackend {
    /// The graph's updates as plan outputs and arguments: update j is output
    /// `outputCount + j`; a variable the graph reads is argument `inputs.count + i` for its
    /// place i in `sharedInputs`. Updates of variables the graph does not read are left out.
    ///
    /// None at all when some update's value could still fail the variable's check after the
    /// call (a symbolic dim where the variable declares a constant one): that check runs after
    /// the in-place tail, so the call must not have written any variable's memory by then.
    static func updates(of graph: Graph) -> [InPlaceUpdate] {
        let checked = graph.updateTargets.enumerated().allSatisfy { j, target in
            let value = graph.outputs[graph.outputCount + j].type
            return zip(target.type.shape, value.shape).allSatisfy { declared, computed in
                declared.constantValue == nil || declared.constantValue == computed.constantValue
            }
        }
        guard checked else { return [] }
        let shared = graph.sharedInputs
        return graph.updateTargets.enumerated().compactMap { j, target in
            let i = shared.firstIndex { node in
                if case .shared(let storage) = node.op { return storage === target }
                return false
            }
            return i.map { InPlaceUpdate(output: graph.outputCount + j, argument: graph.inputs.count + $0) }
        }
    }
}

/// One stage of compiling a function after the graph rewrites (it becomes a pass of the
/// function's `CompileReport`).
struct CompileStage: Sendable {
    let name: String
    let duration: Duration
    var note: String?
}

/// Times consecutive compile stages.
struct StageTimer {
    private(set) var stages: [CompileStage] = []
    private var mark = ContinuousClock.now

    /// Records the time since the previous stage as `name`.
    mutating func record(_ name: String, note: String? = nil) {
        let now = ContinuousClock.now
        stages.append(CompileStage(name: name, duration: now - mark, note: note))
        mark = now
    }

    /// Records `parts` (measured elsewhere) instead of the time since the previous stage, the
    /// last with `note`; the rest of that time, beyond `total`, is recorded as `other` when it
    /// is noticeable.
    mutating func skip(_ total: Duration, _ parts: [(String, Duration)], note: String?, other: String = "llvm other") {
        let now = ContinuousClock.now
        stages += parts.map { CompileStage(name: $0.0, duration: $0.1) }
        if !stages.isEmpty { stages[stages.count - 1].note = note }
        let rest = (now - mark) - total
        if rest > .microseconds(100) { stages.append(CompileStage(name: other, duration: rest)) }
        mark = now
    }
}
