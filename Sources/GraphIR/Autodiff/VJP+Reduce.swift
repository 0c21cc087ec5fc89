extension VJP {
    /// Contribution of a reduction's input x (the node is y = reduce(x)).
    ///
    /// g and y are first brought back to keepDims form, then broadcast against x:
    /// - sum: g broadcast; mean: the same divided by the reduced element count (a graph value
    ///   built from `Build.dimension`, so symbolic sizes work);
    /// - max/min: g where x equals the extremum (every tie gets the full gradient, like Theano);
    /// - prod: g·y/x. Caveat: where x = 0 this is NaN (0/0) or wrong, as in Theano's default.
    static func reduce(_ r: Reduction, axes: [Int], keepDims: Bool, _ y: Node, _ g: Node) -> Node {
        let b = Builder(y), x = y.inputs[0]
        let gk = b.keepDimsForm(g, reducedAxes: axes, rank: x.type.rank, keptDims: keepDims)
        let spread = { Build.broadcast(gk, to: x.type.shape, at: b.loc) }
        switch r {
        case .sum:
            return spread()
        case .mean:
            return b.div(spread(), elementCount(x, axes: axes, dtype: g, b))
        case .max, .min:
            let yk = b.keepDimsForm(y, reducedAxes: axes, rank: x.type.rank, keptDims: keepDims)
            return b.mul(spread(), b.mask(b.binary(.eq, x, yk), like: g))
        case .prod:
            let yk = b.keepDimsForm(y, reducedAxes: axes, rank: x.type.rank, keptDims: keepDims)
            return b.div(b.mul(spread(), yk), x)
        }
    }

    /// The number of elements of x over `axes`, as a rank-0 node of `like`'s dtype: a
    /// constant when the extents are static, else a product of `dimension` nodes.
    static func elementCount(_ x: Node, axes: [Int], dtype like: Node, _ b: Builder) -> Node {
        let dims = axes.map { x.type.shape[$0] }
        if let n = Dim.product(of: dims).constantValue { return b.scalar(Double(n), like: like) }
        var count: Node?
        for axis in axes where x.type.shape[axis].constantValue != 1 {
            let extent = Build.dimension(x, axis: axis, at: b.loc)
            count = count.map { b.mul($0, extent) } ?? extent
        }
        return Build.cast(count!, to: like.type.dtype, at: b.loc)
    }
}
