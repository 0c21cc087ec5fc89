import GraphIR
import KernelIR
import TensorRuntime

/// The executable of `Mode.debug`: runs the lowered plan with its compiled kernels and checks
/// every value the plan materializes against the reference interpreter.
///
/// The plan runs with every materialized buffer added to its outputs (so no temporary shares
/// memory with another, and each holds its final value when the call returns). Then, in the
/// plan's (topological) buffer order, each buffer's node is evaluated by the reference
/// interpreter from the *plan's* values of the materialized nodes it reads (nodes fused into
/// a kernel are evaluated by the reference too), so a wrong kernel is reported at the first
/// value it writes rather than wherever its error grows largest. The first value that
/// differs beyond the tolerance (`DebugComparison`) throws `GraphError(.runtime, op: "debug")`
/// at the node's source line.
///
/// Limits: a materialized buffer written in place over another value would be compared after
/// the overwrite (the lowering has no such in-place buffers today); fused comparisons or casts
/// whose inputs differ by rounding can flip an integer or bool result exactly at a boundary.
struct DebugExecutable: Executable {
    /// The plan as lowered (its outputs are the function's).
    let plan: Plan
    /// Runs the plan with every checked buffer as an extra output.
    let runner: PlanRunner
    /// Buffers holding computed values (not arguments or constants), in topological order.
    let checked: [BufferID]
    /// The materialized buffer of each node.
    let bufferOf: [Node: BufferID]

    init(plan: Plan, executor: any KernelExecutor) throws {
        self.plan = plan
        var checked: [BufferID] = []
        for id in plan.bufferNodes.keys.sorted() {
            switch plan.buffers[id.raw].source {
            case .temporary, .alias: checked.append(id)
            case .argument, .constant: continue
            }
        }
        self.checked = checked
        bufferOf = Dictionary(uniqueKeysWithValues: plan.bufferNodes.map { ($0.value, $0.key) })
        var observing = plan
        observing.outputs += checked
        runner = try PlanRunner(plan: observing, executor: executor)
    }

    /// Runs the plan, checks its values, and returns the function's outputs.
    func run(_ arguments: [Tensor]) throws -> [Tensor] {
        let results = try runner.run(arguments)
        let values = Dictionary(zip(runner.plan.outputs, results), uniquingKeysWith: { first, _ in first })
        var check = ReferenceCheck(plan: plan, bufferOf: bufferOf, arguments: arguments, planValues: values)
        for id in checked { try check.verify(id) }
        return Array(results.prefix(plan.outputs.count))
    }
}

/// One debug call's reference evaluation: reference values of the nodes the plan fuses away,
/// and the dim bindings seen so far.
struct ReferenceCheck {
    let plan: Plan
    let bufferOf: [Node: BufferID]
    let arguments: [Tensor]
    let planValues: [BufferID: Tensor]
    private var bindings: [DimSymbol: Int] = [:]
    private var computed: [Node: Tensor] = [:]

    init(plan: Plan, bufferOf: [Node: BufferID], arguments: [Tensor], planValues: [BufferID: Tensor]) {
        self.plan = plan
        self.bufferOf = bufferOf
        self.arguments = arguments
        self.planValues = planValues
        for (i, buffer) in plan.buffers.enumerated() {
            if case .argument(let k) = buffer.source {
                _ = ShapeBinding.unify(buffer.shape, with: arguments[k].shape, bindings: &bindings)
            }
        }
    }

    /// Throws `GraphError(.runtime, op: "debug")` unless buffer `id` holds (within tolerance)
    /// what the reference interpreter computes for its node from the plan's operand values.
    mutating func verify(_ id: BufferID) throws {
        guard let node = plan.bufferNodes[id], let got = planValues[id] else { return }
        let want = try reference(node)
        let operands = try node.inputs.map { try operand($0) }
        guard let difference = DebugComparison.compare(got, want, operands: operands) else { return }
        throw GraphError(.runtime, op: "debug", "\(node.op.name) (\(node.type)), \(writer(of: id)), "
                         + "differs from the reference interpreter: \(difference)", at: node.location)
    }

    /// The value the plan's consumers of `node` read: the plan's own for materialized nodes,
    /// else the reference's.
    private mutating func operand(_ node: Node) throws -> Tensor {
        guard let id = bufferOf[node] else { return try reference(node) }
        switch plan.buffers[id.raw].source {
        case .argument(let k): return arguments[k]
        case .constant(let value): return value
        case .temporary, .alias:
            guard let value = planValues[id] else { preconditionFailure("debug plan did not return \(id)") }
            return value
        }
    }

    /// The reference interpreter's value of `root` from operand values (evaluating the
    /// unmaterialized nodes it reads first; iterative, fused chains can be long).
    private mutating func reference(_ root: Node) throws -> Tensor {
        var stack: [(node: Node, ready: Bool)] = [(root, false)]
        while let (node, ready) = stack.popLast() {
            guard computed[node] == nil else { continue }
            if ready {
                var values: [Tensor] = []
                for input in node.inputs { values.append(try operand(input)) }
                computed[node] = try evaluate(node, values, bindings: &bindings)
                continue
            }
            stack.append((node, true))
            for input in node.inputs where bufferOf[input] == nil && computed[input] == nil {
                stack.append((input, false))
            }
        }
        return computed[root]!
    }

    /// Which step of the plan wrote buffer `id`, for the message.
    private func writer(of id: BufferID) -> String {
        if case .alias(let viewed) = plan.buffers[id.raw].source { return "a view of \(viewed)" }
        var writer = "plan buffer \(id)"
        for step in plan.steps {
            switch step {
            case .kernel(let k, let buffers, _):
                let kernel = plan.kernels[k]
                for (slot, buffer) in buffers.enumerated() where buffer == id && kernel.buffers[slot].access != .read {
                    writer = "written by kernel @\(kernel.name) into \(id)"
                }
            case .gemm(let gemm):
                if gemm.c == id { writer = "written by a BLAS product into \(id)" }
            case .reference(_, _, let output):
                if output == id { writer = "written by an interpreter fallback into \(id)" }
            }
        }
        return writer
    }
}
