import GraphIR
import KernelIR
import LLVMCodegen
import TensorRuntime

/// What `CompiledFunction.dump(_:)` prints.
public enum DumpLevel: Sendable, Hashable {
    /// The compiled (optimized) graph in IR text form.
    case graph
    /// The compile report (`CompiledFunction.report`): rules fired and time per rewrite pass,
    /// then the time of each backend stage — lowering, LLVM build, verify, optimize and
    /// codegen (or reuse of a cached module), preparing the executable.
    case report
    /// The lowered plan: buffers, steps, and each fused kernel in loop-IR text.
    case kernels
    /// The LLVM IR of the kernels' module after `default<O3>`, as handed to machine-code
    /// generation (vector types such as `<8 x float>` show what was vectorized).
    case llvm
}

/// A compiled function: call it with tensors (or Swift numbers for scalar inputs) and get
/// the output tensors; shared variables are updated after each successful call.
///
/// Calls may come from several threads. A call locks every shared variable it reads or
/// updates (in one global order), so its updates are atomic: they are computed from the values
/// before the call and written together, and a call that throws changes no shared value.
public final class CompiledFunction: Sendable {
    /// The symbolic inputs, in call order.
    public let inputs: [Variable]
    /// The number of tensors a call returns.
    public let outputCount: Int
    let graph: Graph
    let executable: any Executable
    /// Storages of `graph.sharedInputs`, in that order (the executable's trailing arguments).
    let sharedReads: [SharedStorage]
    /// Update targets, in the order of the graph's update outputs.
    let updateTargets: [SharedVariable]
    /// Every storage read or written, deduplicated, in lock order.
    let lockOrder: [SharedStorage]
    /// What compiling did: per rewrite pass the rules fired, time and node counts, then the
    /// time of each backend stage (lowering, LLVM build/verify/optimize/codegen, preparing the
    /// executable); lint warnings.
    public let report: CompileReport
    /// How the function was compiled and runs.
    public let mode: Mode
    /// The plan, kernels and executable the backend made.
    let program: Program
    /// The runner, when its plan writes shared updates in place (see `run`).
    let inPlaceRunner: PlanRunner?
    /// For each argument the plan may write in place: its number and the variable behind it.
    let inPlaceShared: [(argument: Int, storage: SharedStorage)]

    init(graph: Graph, inputs: [Variable], updateTargets: [SharedVariable], program: Program, mode: Mode,
         report: CompileReport) {
        self.graph = graph
        var report = report
        for stage in program.stages { report.appendStage(stage.name, duration: stage.duration, note: stage.note) }
        self.report = report
        self.program = program
        self.mode = mode
        self.inputs = inputs
        self.outputCount = graph.outputCount
        self.updateTargets = updateTargets
        sharedReads = graph.sharedInputs.map { node in
            guard case .shared(let storage) = node.op else { preconditionFailure("sharedInputs holds \(node)") }
            return storage
        }
        var unique: [ObjectIdentifier: SharedStorage] = [:]
        for storage in sharedReads + updateTargets.map(\.storage) { unique[ObjectIdentifier(storage)] = storage }
        lockOrder = unique.keys.sorted().map { unique[$0]! }
        executable = program.executable
        let runner = program.executable as? PlanRunner
        inPlaceRunner = runner?.plan.inPlaceArguments.isEmpty == false ? runner : nil
        let explicit = inputs.count, reads = sharedReads
        inPlaceShared = (inPlaceRunner?.plan.inPlaceArguments ?? []).compactMap { k in
            k >= explicit ? (k, reads[k - explicit]) : nil
        }
    }

    /// Calls the function with one argument per input; Swift numbers become rank-0 tensors of
    /// the input's dtype. Throws `GraphError(.input)` for a wrong count, dtype or shape.
    public func callAsFunction(_ args: any TensorConvertible..., file: String = #fileID,
                               line: Int = #line) throws -> [Tensor] {
        let loc = here(file, line)
        try checkCount(args.count, at: loc)
        var tensors: [Tensor] = []
        for (input, arg) in zip(inputs, args) {
            guard let tensor = arg.tensor(as: input.dtype) else {
                throw GraphError(.input, op: "call", "input \(quoted(input.name)) has dtype \(input.dtype); "
                                 + "the Swift value \(arg) cannot be represented exactly", at: loc)
            }
            tensors.append(tensor)
        }
        return try run(tensors, at: loc)
    }

    /// Calls the function with one tensor per input.
    public func call(_ args: [Tensor], file: String = #fileID, line: Int = #line) throws -> [Tensor] {
        let loc = here(file, line)
        try checkCount(args.count, at: loc)
        return try run(args, at: loc)
    }

    /// The lowered plan (nil for `.interpret`), for tests and tools.
    package var plan: Plan? { program.plan }

    /// The compiled program as text (see `DumpLevel`). A function compiled with `.interpret`
    /// has no plan or LLVM module; those levels say so in one line.
    public func dump(_ level: DumpLevel) -> String {
        switch level {
        case .graph: return printGraph(graph)
        case .report: return report.description
        case .kernels:
            guard let plan = program.plan else { return "// \(graph.name): no kernels (mode \(mode))\n" }
            return printPlan(plan)
        case .llvm:
            guard let kernels = program.kernels else { return "; \(graph.name): no LLVM module (mode \(mode))\n" }
            guard let llvm = kernels as? LLVMKernelExecutor, let ir = llvm.optimizedIR else {
                return "; \(graph.name): the kernels were not compiled by LLVM\n"
            }
            return ir
        }
    }

    /// Validates the arguments, then runs with every shared storage locked and writes the
    /// updates only if everything succeeded. A function without updates only holds the locks
    /// while it takes a consistent snapshot of the shared values, so such calls run in parallel.
    private func run(_ args: [Tensor], at loc: SourceLocation) throws -> [Tensor] {
        for (input, arg) in zip(inputs, args) { try checkArgument(arg, for: input, at: loc) }
        if updateTargets.isEmpty {
            for storage in lockOrder { storage.lock() }
            let snapshot = sharedReads.map(\.valueWhileLocked)
            for storage in lockOrder.reversed() { storage.unlock() }
            return try executable.run(args + snapshot)
        }
        for storage in lockOrder { storage.lock() }
        defer { for storage in lockOrder.reversed() { storage.unlock() } }
        let results = try runLocked(args)
        let newValues = Array(results[outputCount...])
        for (target, value) in zip(updateTargets, newValues) {
            try target.validateValue(value, op: "update", at: loc)
        }
        for (target, value) in zip(updateTargets, newValues) { target.storage.setValueWhileLocked(value) }
        return Array(results[..<outputCount])
    }

    /// Runs the executable with every shared storage locked. A plan that writes updates in
    /// place may overwrite the storage of each variable whose value no other tensor holds (it
    /// is checked under the lock, before the snapshot adds a reference, and every other
    /// reference is taken under the lock or held by the user); a variable whose storage is
    /// shared — say a user kept `let old = W.value`, or a concurrent call without updates holds
    /// its snapshot — is copied first (copy-on-write). A failed call writes no variable's
    /// memory (`PlanRunner.run(_:owning:)`); a successful one returns update values whose
    /// shape and dtype are the variables' own (the plan writes in place only then), so the
    /// validation that follows cannot fail after memory was overwritten.
    private func runLocked(_ args: [Tensor]) throws -> [Tensor] {
        guard let runner = inPlaceRunner else { return try executable.run(args + sharedReads.map(\.valueWhileLocked)) }
        var owned: [Int] = []
        for (k, storage) in inPlaceShared where storage.valueStorageIsUniqueWhileLocked() { owned.append(k) }
        return try runner.run(args + sharedReads.map(\.valueWhileLocked), owning: owned)
    }

    /// Throws unless `count` arguments were passed.
    private func checkCount(_ count: Int, at loc: SourceLocation) throws(GraphError) {
        guard count == inputs.count else {
            let names = inputs.map { quoted($0.name) }.joined(separator: ", ")
            throw GraphError(.input, op: "call", "\(graph.name) expects \(inputs.count) inputs (\(names)), "
                             + "got \(count)", at: loc)
        }
    }

    /// Throws unless `arg` has the input's dtype, rank and constant dims.
    private func checkArgument(_ arg: Tensor, for input: Variable, at loc: SourceLocation) throws(GraphError) {
        let type = input.type, name = quoted(input.name)
        guard arg.dtype == type.dtype else {
            throw GraphError(.input, op: "call", "input \(name) has dtype \(type.dtype), got a \(arg.dtype) tensor",
                             at: loc)
        }
        guard arg.rank == type.rank else {
            throw GraphError(.input, op: "call", "input \(name) has type \(type) (rank \(type.rank)), "
                             + "got a tensor of shape \(arg.shape) (rank \(arg.rank))", at: loc)
        }
        for (axis, (dim, extent)) in zip(type.shape, arg.shape).enumerated() {
            if let expected = dim.constantValue, expected != extent {
                throw GraphError(.input, op: "call", "input \(name) axis \(axis) must have size \(expected) "
                                 + "(type \(type)), got \(extent) (shape \(arg.shape))", at: loc)
            }
        }
    }
}
