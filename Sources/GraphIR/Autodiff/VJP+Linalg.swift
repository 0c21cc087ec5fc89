extension VJP {
    /// Contributions of dot(a, b) for every rank combination the op allows.
    ///
    /// (k)(k)→(): da = g·b, db = g·a. (m,k)(k)→(m): da = outer(g, b), db = dot(g, a).
    /// (k)(k,n)→(n): da = dot(b, g), db = outer(a, g). (m,k)(k,n): da = g·bᵀ, db = aᵀ·g.
    static func dot(_ y: Node, _ g: Node) -> [Node?] {
        let bld = Builder(y), a = y.inputs[0], b = y.inputs[1]
        let dot = { (p: Node, q: Node) in Build.dot(p, q, at: bld.loc) }
        let outer = { (p: Node, q: Node) in Build.outer(p, q, at: bld.loc) }
        let t = { (p: Node) in Build.transpose(p, axes: nil, at: bld.loc) }
        switch (a.type.rank, b.type.rank) {
        case (1, 1): return [bld.mul(g, b), bld.mul(g, a)]
        case (2, 1): return [outer(g, b), dot(g, a)]
        case (1, 2): return [dot(b, g), outer(a, g)]
        case (2, 2): return [dot(g, t(b)), dot(t(a), g)]
        case (0, _): return [bld.sum(bld.mul(g, b), axes: nil, keepDims: false), bld.mul(g, a)]
        case (_, 0): return [bld.mul(g, b), bld.sum(bld.mul(g, a), axes: nil, keepDims: false)]
        default: return [nil, nil]   // ranks the type rule rejects: the node carries the error
        }
    }

    /// Contributions of batchedDot(a, b) = (B,m,k)(B,k,n)→(B,m,n): da = g·bᵀ, db = aᵀ·g per batch.
    static func batchedDot(_ y: Node, _ g: Node) -> [Node?] {
        let loc = y.location, a = y.inputs[0], b = y.inputs[1]
        let t = { (p: Node) in Build.transpose(p, axes: [0, 2, 1], at: loc) }
        return [Build.batchedDot(g, t(b), at: loc), Build.batchedDot(t(a), g, at: loc)]
    }
}

extension VJP {
    /// Contributions of gemm(c, α, a, b, β) = β·c + α·A·B with A = op(a), B = op(b):
    /// dc = β·g, dα = Σ g·(A·B), dβ = Σ g·c, dA = α·g·Bᵀ, dB = α·Aᵀ·g (transposed back to a, b).
    static func gemm(transA: Bool, transB: Bool, _ y: Node, _ g: Node) -> [Node?] {
        let bld = Builder(y), x = y.inputs
        let (c, alpha, a, b, beta) = (x[0], x[1], x[2], x[3], x[4])
        let t = { (p: Node) in Build.transpose(p, axes: nil, at: bld.loc) }
        let dot = { (p: Node, q: Node) in Build.dot(p, q, at: bld.loc) }
        let (opA, opB) = (transA ? t(a) : a, transB ? t(b) : b)
        let dA = bld.mul(alpha, dot(g, t(opB))), dB = bld.mul(alpha, dot(t(opA), g))
        let total = { (p: Node) in bld.sum(bld.mul(g, p), axes: nil, keepDims: false) }
        return [bld.mul(beta, g), total(dot(opA, opB)), transA ? t(dA) : dA, transB ? t(dB) : dB, total(c)]
    }
}
