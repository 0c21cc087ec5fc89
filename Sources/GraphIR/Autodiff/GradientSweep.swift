/// One reverse-mode sweep: the cotangents of every node between the `wrt` nodes and the cost.
///
/// The sweep visits nodes in reverse topological order from the cost (and the `knownGrads`
/// nodes), and only nodes that are floating point and depend on some `wrt` node: other
/// cotangents could never reach a `wrt` node.
struct GradientSweep {
    /// Summed cotangents by node identity.
    private var cotangents: [ObjectIdentifier: Node] = [:]
    /// Every node the cost or a known-gradient node depends on.
    private let reachable: Set<ObjectIdentifier>

    init(cost: Node, wrt: [Node], knownGrads: [(Node, Node)]) {
        let order = topologicalOrder([cost] + knownGrads.map(\.0))
        reachable = Set(order.map(ObjectIdentifier.init))
        let active = Self.activeNodes(order, wrt: wrt)
        var fixed = Set<ObjectIdentifier>()
        for (node, grad) in knownGrads {
            let id = ObjectIdentifier(node)
            let g = VJP.Builder(node).fit(Build.cast(grad, to: node.type.dtype, at: node.location), to: node)
            cotangents[id] = fixed.insert(id).inserted ? g : Build.binary(.add, cotangents[id]!, g, at: node.location)
        }
        if !fixed.contains(ObjectIdentifier(cost)) {
            cotangents[ObjectIdentifier(cost)] = Build.fill(like: cost, value: 1, dtype: nil, at: cost.location)
        }
        for node in order.reversed() where active.contains(ObjectIdentifier(node)) {
            propagate(node, active: active, fixed: fixed)
        }
    }

    /// Nodes that are floating point and are, or depend on, a `wrt` node.
    private static func activeNodes(_ order: [Node], wrt: [Node]) -> Set<ObjectIdentifier> {
        let targets = Set(wrt.map(ObjectIdentifier.init))
        var active = Set<ObjectIdentifier>()
        for node in order where node.type.dtype.isFloatingPoint {
            let id = ObjectIdentifier(node)
            if targets.contains(id) || node.inputs.contains(where: { active.contains(ObjectIdentifier($0)) }) {
                active.insert(id)
            }
        }
        return active
    }

    /// Adds `node`'s vjp contributions to the cotangents of its active inputs.
    private mutating func propagate(_ node: Node, active: Set<ObjectIdentifier>, fixed: Set<ObjectIdentifier>) {
        guard !node.inputs.isEmpty, let g = cotangents[ObjectIdentifier(node)] else { return }
        for (input, contribution) in zip(node.inputs, vjp(node, cotangent: g)) {
            let id = ObjectIdentifier(input)
            guard let contribution, active.contains(id), !fixed.contains(id) else { continue }
            if let sum = cotangents[id] {
                cotangents[id] = Build.binary(.add, sum, contribution, at: node.location)
            } else {
                cotangents[id] = contribution
            }
        }
    }

    /// The gradient returned for one `wrt` node.
    func result(for w: Node, disconnected: DisconnectedPolicy, at loc: SourceLocation) -> Node {
        let zeros = { Build.fill(like: w, value: 0, dtype: nil, at: loc) }
        guard w.type.dtype.isFloatingPoint else { return zeros() }
        if let g = cotangents[ObjectIdentifier(w)] { return g }
        if reachable.contains(ObjectIdentifier(w)) { return zeros() }
        switch disconnected {
        case .zero:
            return zeros()
        case .raise:
            let error = GraphError(.disconnected, op: "grad",
                                   "the cost does not depend on \(Self.describe(w))", at: loc)
            return Node.failed(error, type: w.type, at: loc)
        }
    }

    /// An error that makes every gradient fail: a broken cost or known gradient, or a cost
    /// that is not a floating-point scalar.
    static func problem(cost: Node, knownGrads: [(Node, Node)]) -> GraphError? {
        if let error = cost.error { return error }
        for (node, grad) in knownGrads {
            if let error = node.error ?? grad.error { return error }
            if !node.type.dtype.isFloatingPoint {
                return GraphError(.argument, op: "grad", "knownGrads lists \(describe(node)) of dtype "
                                  + "\(node.type.dtype); only floating-point nodes carry gradients")
            }
            let fits = grad.type.rank == node.type.rank
                && zip(grad.type.shape, node.type.shape).allSatisfy { Dim.unify($0, $1) != nil }
            if !fits {
                return GraphError(.shape, op: "grad", "knownGrads gives a gradient of type \(grad.type) "
                                  + "for \(describe(node)); shapes must match")
            }
        }
        if !cost.type.dtype.isFloatingPoint {
            return GraphError(.argument, op: "grad", "the cost must be floating point, got \(cost.type)")
        }
        if cost.type.rank != 0, !knownGrads.contains(where: { $0.0 === cost }) {
            return GraphError(.argument, op: "grad", "the cost must be a scalar, got shape \(cost.type)")
        }
        return nil
    }

    /// A short description of a node for error messages: its name if it has one.
    static func describe(_ node: Node) -> String {
        if case .input(let name, _) = node.op { return "input '\(name)' (\(node.type))" }
        if case .shared(let storage) = node.op { return "shared variable '\(storage.name)' (\(node.type))" }
        return "a \(node.op.name) node (\(node.type))"
    }
}
