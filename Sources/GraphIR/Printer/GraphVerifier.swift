/// Checks a graph's internal invariants (every node's type equals its op's type rule applied
/// to its inputs, leaves have no inputs, no recorded errors). Returns one line per problem.
///
/// Also checked: operand counts, graph inputs that are not `.input` nodes or are listed twice,
/// `.input` leaves the graph does not list, `outputCount`, and update values whose type does
/// not fit their shared variable. Nodes are named as `printGraph` names them.
package func verifyGraph(_ graph: Graph) -> [String] {
    let names = GraphNames(graph)
    var problems = verifySignature(graph, names)
    let listed = Set(graph.inputs.map(ObjectIdentifier.init))
    for node in names.body {
        let label = "\(names.name(of: node)) = \(node.op.name) at \(node.location)"
        if case .input(let name, _) = node.op, !listed.contains(ObjectIdentifier(node)) {
            problems.append("\(label): input \"\(name)\" is not among the graph's inputs")
        }
        problems += verifyNode(node, label: label, names)
    }
    return problems
}

/// Problems of one node: recorded error (where it first occurred), arity, type rule.
private func verifyNode(_ node: Node, label: String, _ names: GraphNames) -> [String] {
    if let error = node.error {
        // Report an error where it first appears; nodes built on it only inherit it.
        return node.inputs.contains(where: { $0.error == error }) ? [] : ["\(label): recorded error: \(error)"]
    }
    let arity = node.op.arityRange
    if arity == 0...0, !node.inputs.isEmpty {
        return ["\(label): leaf has \(node.inputs.count) operands"]
    }
    guard arity.contains(node.inputs.count) else {
        let expected = arity.count == 1 ? "\(arity.lowerBound)" : "at least \(arity.lowerBound)"
        return ["\(label): has \(node.inputs.count) operands, expected \(expected)"]
    }
    do {
        let type = try inferType(node.op, node.inputs.map(\.type))
        guard type == node.type else {
            return ["\(label): type \(names.type(node.type)) but the type rule gives \(names.type(type))"]
        }
    } catch {
        return ["\(label): type rule fails: \(error)"]
    }
    return []
}

/// Problems of the graph's inputs, output count and updates.
private func verifySignature(_ graph: Graph, _ names: GraphNames) -> [String] {
    var problems: [String] = []
    var seen = Set<ObjectIdentifier>()
    for (i, node) in graph.inputs.enumerated() {
        if case .input = node.op {} else {
            problems.append("graph input \(i) (\(names.name(of: node))) is a \(node.op.name) node, not an input")
        }
        if !seen.insert(ObjectIdentifier(node)).inserted {
            problems.append("graph input \(i) (\(names.name(of: node))) is listed twice")
        }
    }
    guard (0...graph.outputs.count).contains(graph.outputCount) else {
        return problems + ["outputCount \(graph.outputCount) is outside 0...\(graph.outputs.count)"]
    }
    let updates = Array(graph.outputs.dropFirst(graph.outputCount))
    guard !graph.updateTargets.isEmpty else { return problems }
    guard graph.updateTargets.count == updates.count else {
        return problems + ["\(graph.updateTargets.count) update targets for \(updates.count) update values"]
    }
    for (target, value) in zip(graph.updateTargets, updates) where !fits(value.type, target.type) {
        problems.append("update \(names.name(of: target)) = \(names.name(of: value)): "
                        + "\(names.type(value.type)) does not fit \(names.type(target.type))")
    }
    return problems
}

/// True when a value of type `value` can be stored where `target` is expected.
private func fits(_ value: TensorType, _ target: TensorType) -> Bool {
    value.dtype == target.dtype && value.rank == target.rank
        && zip(value.shape, target.shape).allSatisfy { Dim.unify($0, $1) != nil }
}

extension Op {
    /// How many inputs the op takes.
    package var arityRange: ClosedRange<Int> {
        switch self {
        case .input, .shared, .constant: return 0...0
        case .elementwise(let scalarOp): return scalarOp.arity...scalarOp.arity
        case .broadcast, .reduce, .argmax, .argmin, .reshape, .dimshuffle, .slice, .dimension, .softmax,
             .logSoftmax, .stopGradient, .pool2d, .im2col, .col2im:
            return 1...1
        case .dot, .batchedDot, .setSlice, .conv2d, .pool2dGrad, .pool2dGradGrad: return 2...2
        case .conv2dGradInput, .conv2dGradFilters: return 3...3
        case .concatenate: return 1...Int.max
        case .advancedIndex: return 2...Int.max
        case .setAdvancedIndex: return 3...Int.max
        case .arange: return 3...3
        case .gemm: return 5...5
        case .alloc(let dims): return (dims.count + 1)...(dims.count + 1)
        case .random(let a): return (a.shape.count + 1)...(a.shape.count + 1)
        }
    }
}
