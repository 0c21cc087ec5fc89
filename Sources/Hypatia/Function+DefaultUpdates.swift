import GraphIR

/// The default updates (Theano's `default_update`) of the shared variables reachable from
/// `roots` (after the givens `mapping`) that `explicit` does not update, including those
/// reachable from the default updates themselves, in the order first reached.
func defaultUpdates(_ roots: [Node], _ mapping: [Node: Node],
                    explicit: [SharedVariable]) -> [(SharedVariable, Variable)] {
    var updated = Set(explicit.map { ObjectIdentifier($0.storage) })
    var result: [(SharedVariable, Variable)] = []
    var frontier = substitute(roots, mapping)
    while !frontier.isEmpty {
        var found: [Node] = []
        for node in topologicalOrder(frontier) {
            guard case .shared(let storage) = node.op, let update = storage.defaultUpdate(readThrough: node),
                  updated.insert(ObjectIdentifier(storage)).inserted else { continue }
            result.append((SharedVariable(storage: storage, node: node), Variable(update)))
            found.append(update)
        }
        frontier = substitute(found, mapping)
    }
    return result
}
