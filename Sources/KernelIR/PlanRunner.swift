import GraphIR
import TensorRuntime

/// Executes a plan: kernels through a `KernelExecutor`, matrix products through BLAS, host
/// fallbacks through the reference interpreter.
///
/// A call checks the arguments (count, dtypes, shapes; binding the dim symbols), lays out
/// temporaries with the memory plan (cached per argument-shape key), runs the steps in
/// order and returns the outputs. Outputs are fresh storage owned by the caller; temporaries
/// live in arenas reused by later calls with the same argument shapes. Concurrent calls are
/// safe: each takes its own arena from a small pool.
package final class PlanRunner: Executable {
    package let plan: Plan
    let executor: any KernelExecutor
    let memory: MemoryPlan
    let arenas = ArenaPool()
    /// For each argument, the buffers it backs (checked and bound in order).
    private let argumentBuffers: [[Int]]
    /// False for plans with reference steps (whose results may bind sizes): those calls
    /// always take the general path.
    let isPreparable: Bool

    /// Prepares `plan` with kernels already compiled into `executor`; throws `KernelIRError`
    /// if the plan does not verify.
    package init(plan: Plan, executor: any KernelExecutor) throws {
        let problems = verifyPlan(plan)
        guard problems.isEmpty else { throw KernelIRError("plan @\(plan.name) does not verify", problems) }
        self.plan = plan
        self.executor = executor
        memory = MemoryPlan(plan)
        var buffers = [[Int]](repeating: [], count: plan.argumentCount)
        for (i, buffer) in plan.buffers.enumerated() {
            if case .argument(let k) = buffer.source { buffers[k].append(i) }
        }
        argumentBuffers = buffers
        isPreparable = !plan.steps.contains { if case .reference = $0 { true } else { false } }
    }

    /// Compiles the plan's kernels with `compiler`, then prepares the plan.
    package convenience init(plan: Plan, compiler: any KernelCompiler) throws {
        try self.init(plan: plan, executor: compiler.compile(plan.kernels))
    }

    /// Runs the plan on `arguments` (explicit inputs, then shared snapshots); returns the
    /// values of `plan.outputs`. Throws `GraphError` for wrong arguments and run-time errors.
    ///
    /// Calls whose argument shapes and dtypes match an earlier call's run prepared (see
    /// `PreparedCall`): sizes, parameters and memory were worked out once for that key.
    package func run(_ arguments: [Tensor]) throws -> [Tensor] {
        try run(arguments, owning: [])
    }

    /// Runs the plan, letting its in-place steps overwrite the storage of the arguments in
    /// `owned` (the caller guarantees nothing else reads that storage during the call and that it
    /// wants the update values there); the other arguments of `plan.inPlaceArguments` are
    /// copied first, so the caller's tensors never change.
    ///
    /// A call that throws has not run the in-place steps (they come after every step that can
    /// fail and cannot fail themselves; the general path also evaluates their sizes and the
    /// outputs before running them), so owned arguments are unchanged then.
    package func run(_ arguments: [Tensor], owning owned: [Int]) throws -> [Tensor] {
        var arguments = arguments
        for k in plan.inPlaceArguments where !owned.contains(k) && arguments.indices.contains(k) {
            let argument = arguments[k]
            arguments[k] = Tensor(shape: argument.shape, dtype: argument.dtype, storage: argument.storage.copy())
        }
        if let (prepared, idle) = arenas.takePrepared(arguments) {
            let arena = idle ?? arenas.makeArena(prepared.layout)
            defer { arenas.give(arena, prepared.argumentShapes) }
            return try prepared.run(arguments, arena: arena, runner: self)
        }
        let bindings = try bindArguments(arguments)
        let key = arguments.map(\.shape)
        let layout = arenas.layout(for: key) { arenaLayout(bindings) }
        if isPreparable, arenas.needsPreparation(key) {
            let prepared = CallPreparation.prepare(self, arguments, bindings: bindings, layout: layout)
            arenas.setPrepared(prepared, for: key)
            if let prepared {
                let arena = arenas.take(key, layout)
                defer { arenas.give(arena, key) }
                return try prepared.run(arguments, arena: arena, runner: self)
            }
        }
        let arena = arenas.take(key, layout)
        defer { arenas.give(arena, key) }
        var state = PlanRun(runner: self, arguments: arguments, bindings: bindings, arena: arena, layout: layout)
        let tail = plan.steps.count - plan.inPlaceStepCount
        for step in plan.steps[..<tail] { try state.run(step) }
        guard tail < plan.steps.count else { return try plan.outputs.map { try state.tensor($0) } }
        var resolved: [ResolvedStep] = []
        for step in plan.steps[tail...] { resolved.append(try state.resolve(step)) }
        let outputs = try plan.outputs.map { try state.tensor($0) }
        for step in resolved { step.run(self) }
        return outputs
    }

    /// The error of kernel `k` returning `code` (a failed `checkIndex`).
    func kernelError(_ k: Int, code: Int32, bindings: [DimSymbol: Int]) -> GraphError {
        guard let entry = plan.errorMessages[code] else {
            return GraphError(.runtime, op: "kernel", "kernel @\(plan.kernels[k].name) failed with error code \(code)")
        }
        return entry.error(bindings: bindings)
    }

    /// The arena statistics of calls with these argument shapes (nil before the first call).
    package func memoryStatistics(argumentShapes: [[Int]]) -> MemoryStatistics? {
        arenas.cachedLayout(for: argumentShapes)?.statistics
    }

    /// Checks count and dtypes, then binds (or checks) the dim symbols of each argument's
    /// buffers from its shape, in argument order (messages as the reference interpreter's).
    private func bindArguments(_ arguments: [Tensor]) throws(GraphError) -> [DimSymbol: Int] {
        guard arguments.count == plan.argumentCount else {
            let names = plan.argumentLabels.isEmpty ? "" : " (" + plan.argumentLabels.joined(separator: ", ") + ")"
            throw GraphError(.input, op: "call", "\(plan.name) takes \(plan.argumentCount) arguments"
                             + "\(names), got \(arguments.count)")
        }
        var bindings: [DimSymbol: Int] = [:]
        for (k, value) in arguments.enumerated() {
            for b in argumentBuffers[k] {
                let buffer = plan.buffers[b]
                let type = TensorType(buffer.dtype, buffer.shape)
                guard value.dtype == buffer.dtype else {
                    throw GraphError(.input, op: "call", "argument \(label(k)) has dtype \(value.dtype), "
                                     + "expected \(buffer.dtype) (\(type))")
                }
                let before = bindings
                guard ShapeBinding.unify(buffer.shape, with: value.shape, bindings: &bindings) else {
                    throw GraphError(.input, op: "call", "argument \(label(k)) has shape "
                                     + "\(ShapeBinding.describe(value.shape)), expected \(type)"
                                     + ShapeBinding.describeBindings(of: buffer.shape, before))
                }
            }
        }
        return bindings
    }

    /// `'x'` (the plan's label) or the argument's number.
    private func label(_ k: Int) -> String {
        plan.argumentLabels.indices.contains(k) ? plan.argumentLabels[k] : String(k)
    }

    /// Slots for the arena temporaries whose sizes the argument shapes determine (the others,
    /// sized by data-dependent symbols, get memory of their own when first used).
    private func arenaLayout(_ bindings: [DimSymbol: Int]) -> SlotAssignment {
        var bytes: [Int: Int] = [:]
        for root in plan.buffers.indices where memory.roots[root] == root && memory.lifetime(of: root) != nil {
            var largest = 0
            for member in memory.members[root] {
                let buffer = plan.buffers[member]
                guard let shape = TensorType(buffer.dtype, buffer.shape).evaluateShape(bindings),
                      shape.allSatisfy({ $0 >= 0 }) else { largest = -1; break }
                largest = max(largest, shape.reduce(1, *) * buffer.dtype.byteSize)
            }
            if largest >= 0 { bytes[root] = largest }
        }
        return memory.assignSlots(bytes: bytes)
    }
}
