import TensorRuntime

extension SpecializeRules {
    // α·dot(a, b) + c → gemm(c, α, a, b, 1),  c - α·dot(a, b) → gemm(c, -α, a, b, 1),
    // α·dot(a, b) - c → gemm(c, α, a, b, -1);  α a scalar (1 if absent), and transposed
    // operands (dimshuffle [1,0]) folded into gemm's transA / transB
    static let gemm = RewriteRule("gemm") { node, context in
        guard node.type.rank == 2, node.type.dtype.isFloatingPoint,
              node.scalarOp == .add || node.scalarOp == .sub else { return nil }
        let (p, q) = (node.inputs[0], node.inputs[1])
        let b = RuleBuilder(node, context), dtype = node.type.dtype
        if node.scalarOp == .add {
            if let (alpha, x, y) = scaledDot(q, b) { return make(p, alpha, x, y, b.scalar(1, dtype), b) }
            if let (alpha, x, y) = scaledDot(p, b) { return make(q, alpha, x, y, b.scalar(1, dtype), b) }
            return nil
        }
        if let (alpha, x, y) = scaledDot(q, b) { return make(p, b.neg(alpha), x, y, b.scalar(1, dtype), b) }
        if let (alpha, x, y) = scaledDot(p, b) { return make(q, alpha, x, y, b.scalar(-1, dtype), b) }
        return nil
    }

    /// (α, a, b) for `node` = dot(a, b), α·dot(a, b) or dot(a, b)·α with α a scalar (or a
    /// broadcast scalar); matrices only.
    private static func scaledDot(_ node: Node, _ b: RuleBuilder) -> (Node, Node, Node)? {
        if case .dot = node.op, node.inputs.allSatisfy({ $0.type.rank == 2 }) {
            return (b.scalar(1, node.type.dtype), node.inputs[0], node.inputs[1])
        }
        guard let (u, v) = node.operands(of: .mul) else { return nil }
        for (scale, product) in [(u, v), (v, u)] {
            guard let alpha = scalarSource(scale), case .dot = product.op,
                  product.inputs.allSatisfy({ $0.type.rank == 2 }) else { continue }
            return (alpha, product.inputs[0], product.inputs[1])
        }
        return nil
    }

    /// The rank-0 node `node` repeats: itself if rank 0, or what a broadcast expands.
    private static func scalarSource(_ node: Node) -> Node? {
        if node.type.rank == 0 { return node }
        if case .broadcast = node.op, node.inputs[0].type.rank == 0 { return node.inputs[0] }
        return nil
    }

    /// gemm(c, α, a, b, β) with transposed operands unwrapped into the flags.
    private static func make(_ c: Node, _ alpha: Node, _ a: Node, _ bm: Node, _ beta: Node,
                             _ b: RuleBuilder) -> Node {
        let (x, transA) = unwrapTranspose(a), (y, transB) = unwrapTranspose(bm)
        return Node.make(.gemm(transA: transA, transB: transB), [c, alpha, x, y, beta], at: b.loc)
    }

    /// (m, true) for `node` = dimshuffle(m, [1, 0]), else (node, false).
    private static func unwrapTranspose(_ node: Node) -> (Node, Bool) {
        if case .dimshuffle(let pattern) = node.op, pattern == [1, 0] { return (node.inputs[0], true) }
        return (node, false)
    }
}
