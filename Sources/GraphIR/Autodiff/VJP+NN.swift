extension VJP {
    /// softmax: dx = y·(g - Σ_axis g·y).
    static func softmax(axis: Int, _ y: Node, _ g: Node) -> Node {
        let b = Builder(y)
        let dotted = b.sum(b.mul(g, y), axes: [axis], keepDims: true)
        return b.mul(y, b.sub(g, dotted))
    }

    /// logSoftmax: dx = g - exp(y)·Σ_axis g.
    static func logSoftmax(axis: Int, _ y: Node, _ g: Node) -> Node {
        let b = Builder(y)
        return b.sub(g, b.mul(b.unary(.exp, y), b.sum(g, axes: [axis], keepDims: true)))
    }
}
