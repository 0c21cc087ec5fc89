extension VJP {
    /// `Build` shorthands bound to one source location: the forward node's (provenance).
    struct Builder {
        let loc: SourceLocation

        init(_ node: Node) { loc = node.location }

        func add(_ a: Node, _ b: Node) -> Node { Build.binary(.add, a, b, at: loc) }
        func sub(_ a: Node, _ b: Node) -> Node { Build.binary(.sub, a, b, at: loc) }
        func mul(_ a: Node, _ b: Node) -> Node { Build.binary(.mul, a, b, at: loc) }
        func div(_ a: Node, _ b: Node) -> Node { Build.binary(.div, a, b, at: loc) }
        func neg(_ x: Node) -> Node { Build.unary(.neg, x, at: loc) }
        func unary(_ op: ScalarOp, _ x: Node) -> Node { Build.unary(op, x, at: loc) }
        func binary(_ op: ScalarOp, _ a: Node, _ b: Node) -> Node { Build.binary(op, a, b, at: loc) }

        /// A rank-0 constant with `x`'s dtype.
        func scalar(_ value: Double, like x: Node) -> Node {
            Build.scalar(value, dtype: x.type.dtype, at: loc)
        }

        /// Zeros shaped like `x`.
        func zeros(like x: Node) -> Node { Build.fill(like: x, value: 0, dtype: nil, at: loc) }

        /// A bool condition as 0/1 in `x`'s dtype.
        func mask(_ condition: Node, like x: Node) -> Node {
            Build.cast(condition, to: x.type.dtype, at: loc)
        }

        /// Sum over `axes` (nil: all).
        func sum(_ x: Node, axes: [Int]?, keepDims: Bool) -> Node {
            Build.reduce(.sum, x, axes: axes, keepDims: keepDims, at: loc)
        }

        /// Re-inserts size-1 axes at the (sorted) `axes` of a rank-`rank` tensor that a
        /// reduction without keepDims removed; returns `x` if `keepDims` was set.
        func keepDimsForm(_ x: Node, reducedAxes axes: [Int], rank: Int, keptDims: Bool) -> Node {
            if keptDims { return x }
            var next = 0
            let pattern: [Int?] = (0..<rank).map { axis in
                if axes.contains(axis) { return nil }
                defer { next += 1 }
                return next
            }
            return Build.dimshuffle(x, pattern, at: loc)
        }

        /// `x` reshaped to `target`'s dims when its shape differs (size-1 axes to restore, or the
        /// same sizes spelled with other symbols); `x` itself when the shapes already agree.
        func fit(_ x: Node, to target: Node) -> Node {
            x.type.shape == target.type.shape ? x : Build.reshape(x, dims: target.type.shape, at: loc)
        }
    }
}
