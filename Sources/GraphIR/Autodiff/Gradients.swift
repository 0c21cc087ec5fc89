/// What `gradients` does for a `wrt` node the cost does not depend on.
package enum DisconnectedPolicy: Sendable {
    /// Record a `.disconnected` error on the returned node (Theano's default).
    case raise
    /// Return zeros shaped like the variable.
    case zero
}

/// Reverse-mode gradients of a scalar `cost` with respect to `wrt`, as new graph nodes.
///
/// One reverse topological sweep sums cotangents and calls each op's `vjp`. `knownGrads`
/// seeds cotangents of intermediate nodes (Theano's known_grads; the cost may then be nil
/// semantics: pass the cost anyway, its own seed is 1 unless it is in knownGrads). Integer
/// and bool nodes carry no gradient. Errors (non-scalar cost, ...) are recorded on the
/// returned nodes, never thrown.
package func gradients(of cost: Node, wrt: [Node], knownGrads: [(Node, Node)] = [],
                       disconnected: DisconnectedPolicy = .raise, at loc: SourceLocation) -> [Node] {
    unimplemented()
}

/// The vector-Jacobian product of one node: for cotangent `g` of the node's output, the
/// cotangent contribution of each input (nil where the input is disconnected or integral).
package func vjp(_ node: Node, cotangent g: Node) -> [Node?] {
    unimplemented()
}
