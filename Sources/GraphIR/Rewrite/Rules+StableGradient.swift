/// Stability rules for gradient graphs built from unstable forward forms: the vjp of
/// `log(p)` divides by p (0/0 when a softmax, sigmoid or exp underflows), and the vjp of p
/// then multiplies by p again. These rules cancel the pair. (`gradients(of:wrt:)` normally
/// differentiates the stabilized cost, so these matter only for graphs differentiated
/// without that, e.g. through `knownGrads`.)
enum StableGradientRules {
    static let all: [RewriteRule] = [cancelDivMul, scatterCancel, distributeCancel]

    // (g / p) · p → g,  p · (g / p) → g   for p a softmax, sigmoid or exp (or a view of one)
    static let cancelDivMul = RewriteRule("cancelDivMul") { node, _ in
        guard let (a, b) = node.operands(of: .mul) else { return nil }
        return cancelled(a, by: b) ?? cancelled(b, by: a)
    }

    /// g when `quotient` is g / p with `p` positive-valued; nil otherwise.
    private static func cancelled(_ quotient: Node, by p: Node) -> Node? {
        guard p.positiveSource != nil, let (g, d) = quotient.operands(of: .div), d === p else { return nil }
        return g
    }

    // p · scatterAdd(0, g / p[i], i) → scatterAdd(0, g, i)   (and the mirrored product)
    static let scatterCancel = RewriteRule("scatterCancel") { node, _ in
        guard let (a, b) = node.operands(of: .mul) else { return nil }
        return scatterCancelled(a, by: b) ?? scatterCancelled(b, by: a)
    }

    /// scatterAdd(0, g, i) for `scatter` = scatterAdd(0, g / p[i], i) with p positive-valued.
    private static func scatterCancelled(_ scatter: Node, by p: Node) -> Node? {
        guard case .setAdvancedIndex(accumulate: true) = scatter.op, scatter.inputs[0].isUniform(0),
              p.positiveSource != nil, p.type == scatter.type,
              let (g, d) = scatter.inputs[1].operands(of: .div), case .advancedIndex = d.op, d.inputs[0] === p,
              Array(d.inputs.dropFirst()).elementsEqual(scatter.inputs.dropFirst(2), by: ===) else { return nil }
        return Node.make(scatter.op, [scatter.inputs[0], g] + scatter.inputs.dropFirst(2), at: scatter.location)
    }

    // p · (q - s) → p·q - p·s   when p·q cancels by the rules above (the softmax vjp of g / p)
    static let distributeCancel = RewriteRule("distributeCancel") { node, context in
        guard let (a, b) = node.operands(of: .mul) else { return nil }
        for (p, difference) in [(a, b), (b, a)] {
            guard let (q, s) = difference.operands(of: .sub),
                  let product = cancelled(q, by: p) ?? scatterCancelled(q, by: p) else { continue }
            let builder = RuleBuilder(node, context)
            return builder.sub(product, builder.mul(p, s))
        }
        return nil
    }
}
