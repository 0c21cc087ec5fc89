import TensorRuntime

/// A graph prepared for the reference interpreter: nodes in topological order with the
/// slots of their operands and use counts, so each run frees an intermediate value as soon
/// as its last user has run. Immutable, so runs on several threads at once are safe (each run
/// keeps its values and symbol bindings in locals).
struct ReferenceExecutable: Executable {
    let graph: Graph
    /// Every node the outputs need, inputs before users.
    private let order: [Node]
    /// For each node of `order`, the positions in `order` of its operands.
    private let operandSlots: [[Int]]
    /// How many operand reads each slot gets during a run.
    private let useCounts: [Int]
    /// Slots whose values are returned (never released).
    private let pinned: [Bool]
    /// `graph.inputs` followed by `graph.sharedInputs`: the argument order.
    private let parameters: [Node]
    /// The slot of each parameter (nil when no output depends on it).
    private let parameterSlots: [Int?]
    private let outputSlots: [Int]

    /// Prepares `graph`; throws the first error recorded in it, or `.missingInput` if an
    /// output depends on an `.input` that is not one of `graph.inputs`.
    init(_ graph: Graph) throws(GraphError) {
        for output in graph.outputs { try output.check() }
        self.graph = graph
        order = topologicalOrder(graph.outputs)
        var slotOf: [ObjectIdentifier: Int] = [:]
        for (i, node) in order.enumerated() { slotOf[ObjectIdentifier(node)] = i }
        parameters = graph.inputs + graph.sharedInputs
        let parameterIDs = Set(parameters.map(ObjectIdentifier.init))
        for node in order where !parameterIDs.contains(ObjectIdentifier(node)) {
            if case .input(let name, _) = node.op {
                throw GraphError(.missingInput, op: "function", "input '\(name)' is needed by the outputs "
                                 + "but is not among the function's inputs", at: node.location)
            }
        }
        operandSlots = order.map { node in node.inputs.map { slotOf[ObjectIdentifier($0)]! } }
        var counts = [Int](repeating: 0, count: order.count)
        for slots in operandSlots { for s in slots { counts[s] += 1 } }
        useCounts = counts
        outputSlots = graph.outputs.map { slotOf[ObjectIdentifier($0)]! }
        var pins = [Bool](repeating: false, count: order.count)
        for s in outputSlots { pins[s] = true }
        pinned = pins
        parameterSlots = parameters.map { slotOf[ObjectIdentifier($0)] }
    }

    /// Runs the graph on arguments for `graph.inputs` then `graph.sharedInputs`.
    func run(_ arguments: [Tensor]) throws -> [Tensor] {
        var bindings = try bindArguments(arguments)
        var values = [Tensor?](repeating: nil, count: order.count)
        var ready = [Bool](repeating: false, count: order.count)
        for (p, slot) in parameterSlots.enumerated() {
            guard let slot else { continue }
            values[slot] = arguments[p]
            ready[slot] = true
        }
        var remaining = useCounts
        for (i, node) in order.enumerated() where !ready[i] {
            let operands = operandSlots[i].map { values[$0]! }
            values[i] = try evaluate(node, operands, bindings: &bindings)
            for s in operandSlots[i] {
                remaining[s] -= 1
                if remaining[s] == 0, !pinned[s] { values[s] = nil }
            }
        }
        return outputSlots.map { values[$0]! }
    }

    /// Checks argument count and dtypes, and binds (or checks) the dim symbols of each
    /// parameter's declared type from the argument's shape, in argument order.
    private func bindArguments(_ arguments: [Tensor]) throws(GraphError) -> [DimSymbol: Int] {
        guard arguments.count == parameters.count else {
            let names = parameters.map(Self.label).joined(separator: ", ")
            throw GraphError(.input, op: "call", "\(graph.name) takes \(parameters.count) arguments "
                             + "(\(names)), got \(arguments.count)")
        }
        var bindings: [DimSymbol: Int] = [:]
        for (node, value) in zip(parameters, arguments) {
            guard value.dtype == node.type.dtype else {
                throw GraphError(.input, op: "call", "argument \(Self.label(node)) has dtype \(value.dtype), "
                                 + "expected \(node.type.dtype) (\(node.type))")
            }
            let before = bindings
            guard ShapeBinding.unify(node.type.shape, with: value.shape, bindings: &bindings) else {
                throw GraphError(.input, op: "call", "argument \(Self.label(node)) has shape "
                                 + "\(ShapeBinding.describe(value.shape)), expected \(node.type)"
                                 + ShapeBinding.describeBindings(of: node.type.shape, before))
            }
        }
        return bindings
    }

    /// `'x'` for an input, `shared 'W'` for a shared variable.
    private static func label(_ node: Node) -> String {
        if case .input(let name, _) = node.op { return "'\(name)'" }
        if case .shared(let storage) = node.op { return "shared '\(storage.name)'" }
        return node.description
    }
}
