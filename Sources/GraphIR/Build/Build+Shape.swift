import TensorRuntime

extension Build {
    /// Reshape with at most one -1 (inferred symbolically); element counts must agree.
    package static func reshape(_ x: Node, _ shape: [Int], at loc: SourceLocation) -> Node {
        let wildcards = shape.filter { $0 == -1 }.count
        guard wildcards <= 1, shape.allSatisfy({ $0 >= -1 }) else {
            let message = "shape \(shape) may hold one -1 and otherwise non-negative extents"
            return failure(GraphError(.argument, op: "reshape", message), [x], at: loc)
        }
        guard wildcards == 1 else { return reshape(x, dims: shape.map { .constant($0) }, at: loc) }
        let known = shape.filter { $0 != -1 }.reduce(1, *)
        let total = Dim.product(of: x.type.shape)
        if known == 0 || (total.constantValue.map { $0 % known != 0 } ?? false) {
            let message = "cannot reshape \(x.type) to \(shape): \(total) elements do not split into parts of \(known)"
            return failure(GraphError(.shape, op: "reshape", message), [x], at: loc)
        }
        let inferred = Dim.floorDiv(total, .constant(known))
        return reshape(x, dims: shape.map { $0 == -1 ? inferred : .constant($0) }, at: loc)
    }

    /// Reshape to explicit dims (x itself if it already has them).
    package static func reshape(_ x: Node, dims: [Dim], at loc: SourceLocation) -> Node {
        x.type.shape == dims ? x : Node.make(.reshape(dims), [x], at: loc)
    }

    /// Theano's flatten: keeps the first `outdim - 1` axes and merges the rest (outdim ≥ 1).
    package static func flatten(_ x: Node, outdim: Int, at loc: SourceLocation) -> Node {
        let shape = x.type.shape
        guard outdim >= 1, outdim <= max(shape.count, 1) else {
            let message = "outdim \(outdim) must be between 1 and the rank of \(x.type)"
            return failure(GraphError(.argument, op: "flatten", message), [x], at: loc)
        }
        let kept = Array(shape.prefix(outdim - 1))
        return reshape(x, dims: kept + [Dim.product(of: Array(shape.dropFirst(outdim - 1)))], at: loc)
    }

    /// Permutes axes (nil: reversed). Returns x itself for the identity permutation.
    package static func transpose(_ x: Node, axes: [Int]?, at loc: SourceLocation) -> Node {
        let rank = x.type.rank
        let perm = (axes ?? Array((0..<rank).reversed())).map { $0 < 0 ? $0 + rank : $0 }
        guard perm.sorted() == Array(0..<rank) else {
            let message = "axes \(axes ?? []) are not a permutation of the axes of \(x.type)"
            return failure(GraphError(.argument, op: "transpose", message), [x], at: loc)
        }
        return dimshuffle(x, perm, at: loc)
    }

    /// Theano's dimshuffle (nil entries add size-1 axes; unlisted axes must be size 1).
    /// Returns x itself for the identity pattern.
    package static func dimshuffle(_ x: Node, _ pattern: [Int?], at loc: SourceLocation) -> Node {
        pattern == Array(0..<x.type.rank) ? x : Node.make(.dimshuffle(pattern), [x], at: loc)
    }

    /// Joins tensors along `axis` (dtypes promoted; negative counts from the end).
    package static func concatenate(_ xs: [Node], axis: Int, at loc: SourceLocation) -> Node {
        guard let first = xs.first else {
            return failure(GraphError(.argument, op: "concatenate", "needs at least one tensor"), [], at: loc)
        }
        let dtype = xs.dropFirst().reduce(first.type.dtype) { DType.promoted($0, $1.type.dtype) }
        let operands = xs.map { cast($0, to: dtype, at: loc) }
        do {
            let a = try normalizeAxis(axis, of: first.type, op: "concatenate")
            return operands.count == 1 ? operands[0] : Node.make(.concatenate(axis: a), operands, at: loc)
        } catch {
            return failure(error, xs, at: loc)
        }
    }

    /// Stacks same-shaped tensors along a new `axis` (composite: dimshuffle + concatenate).
    package static func stack(_ xs: [Node], axis: Int, at loc: SourceLocation) -> Node {
        guard let first = xs.first else {
            return failure(GraphError(.argument, op: "stack", "needs at least one tensor"), [], at: loc)
        }
        let rank = first.type.rank
        let a = axis < 0 ? axis + rank + 1 : axis
        guard a >= 0, a <= rank else {
            let message = "axis \(axis) is out of range for stacking \(first.type) (rank \(rank))"
            return failure(GraphError(.argument, op: "stack", message), xs, at: loc)
        }
        let expanded = xs.map { x in
            var pattern: [Int?] = Array(0..<x.type.rank)
            pattern.insert(nil, at: min(a, pattern.count))
            return dimshuffle(x, pattern, at: loc)
        }
        return concatenate(expanded, axis: a, at: loc)
    }
}
