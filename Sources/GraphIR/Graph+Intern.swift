import TensorRuntime

/// The identity of a node for hash-consing: its op and the identities of its (interned) inputs.
///
/// `.input` leaves are keyed by node identity (two inputs with the same name are different
/// values); `.shared` leaves by their storage; constants by value (dtype, shape and bytes).
private enum InternKey: Hashable {
    case input(ObjectIdentifier)
    case node(Op, [ObjectIdentifier])
}

/// Hash-conses a graph: structurally equal subgraphs become one node (common-subexpression
/// elimination).
///
/// Nodes are visited inputs first; the first node seen with a given key is kept (with its
/// location) and later equal nodes are replaced by it. A node whose inputs changed is rebuilt
/// with `Node.make` at its own location. The graph's inputs are leaves and stay as they are.
package func intern(_ graph: Graph) -> Graph {
    var table: [InternKey: Node] = [:]
    var canonical: [ObjectIdentifier: Node] = [:]
    for node in graph.nodes {
        let inputs = node.inputs.map { canonical[ObjectIdentifier($0)] ?? $0 }
        let key = internKey(node, inputs)
        if let existing = table[key] {
            canonical[ObjectIdentifier(node)] = existing
            continue
        }
        let unchanged = zip(inputs, node.inputs).allSatisfy { $0 === $1 }
        let kept = unchanged ? node : Node.make(node.op, inputs, at: node.location)
        table[key] = kept
        canonical[ObjectIdentifier(node)] = kept
    }
    var result = graph
    result.inputs = graph.inputs.map { canonical[ObjectIdentifier($0)] ?? $0 }
    result.outputs = graph.outputs.map { canonical[ObjectIdentifier($0)] ?? $0 }
    return result
}

/// The hash-consing key of `node` given its canonical inputs.
private func internKey(_ node: Node, _ inputs: [Node]) -> InternKey {
    if case .input = node.op { return .input(ObjectIdentifier(node)) }
    return .node(node.op, inputs.map(ObjectIdentifier.init))
}
