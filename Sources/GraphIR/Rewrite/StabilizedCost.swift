/// The cost `gradients(of:wrt:)` differentiates: `cost` with the stabilize rules applied, so
/// the gradient is built from the stable forms (logSoftmax, softplus, ...) instead of
/// differentiating through e.g. `log(softmax(x))`, whose vjp divides by an underflowing p.
///
/// Only when every `wrt` node is a leaf (input, shared variable or constant) and no gradient
/// is seeded by `knownGrads`: a rewrite may bypass an intermediate node, which would change
/// what its gradient means. Falls back to `cost` if a `wrt` node the cost reached is no longer
/// reached (the rules then merged it away).
package func stabilizedForDifferentiation(_ cost: Node, wrt: [Node], hasKnownGrads: Bool) -> Node {
    guard !hasKnownGrads, cost.error == nil, wrt.allSatisfy({ $0.inputs.isEmpty }) else { return cost }
    let graph = Graph(name: "cost", inputs: [], outputs: [cost], outputCount: 1)
    var driver = RewriteDriver(RuleSet("stabilize", RuleCatalog.stabilize), budget: .standard, frozen: wrt)
    let result = driver.run(graph).graph.outputs[0]
    if result === cost { return cost }
    let before = Set(topologicalOrder([cost]).map(ObjectIdentifier.init))
    let after = Set(topologicalOrder([result]).map(ObjectIdentifier.init))
    for node in wrt where before.contains(ObjectIdentifier(node)) && !after.contains(ObjectIdentifier(node)) {
        return cost
    }
    return result
}
