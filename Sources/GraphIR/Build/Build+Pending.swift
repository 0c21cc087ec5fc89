import TensorRuntime

/// Builders not implemented yet (being filled in family by family).
extension Build {
    // MARK: Shape

    /// Reshape with at most one -1 (inferred symbolically); element counts must agree.
    package static func reshape(_ x: Node, _ shape: [Int], at loc: SourceLocation) -> Node { unimplemented() }

    /// Reshape to explicit dims.
    package static func reshape(_ x: Node, dims: [Dim], at loc: SourceLocation) -> Node { unimplemented() }

    /// Theano's flatten: keeps the first `outdim - 1` axes and merges the rest (outdim ≥ 1).
    package static func flatten(_ x: Node, outdim: Int, at loc: SourceLocation) -> Node { unimplemented() }

    /// Permutes axes (nil: reversed). Returns x itself for the identity permutation.
    package static func transpose(_ x: Node, axes: [Int]?, at loc: SourceLocation) -> Node { unimplemented() }

    /// Theano's dimshuffle (nil entries add size-1 axes; unlisted axes must be size 1).
    package static func dimshuffle(_ x: Node, _ pattern: [Int?], at loc: SourceLocation) -> Node {
        unimplemented()
    }

    /// Joins tensors along `axis` (dtypes promoted).
    package static func concatenate(_ xs: [Node], axis: Int, at loc: SourceLocation) -> Node { unimplemented() }

    /// Stacks same-shaped tensors along a new `axis` (composite: dimshuffle + concatenate).
    package static func stack(_ xs: [Node], axis: Int, at loc: SourceLocation) -> Node { unimplemented() }

    /// Basic slicing (one spec per leading axis).
    package static func slice(_ x: Node, _ specs: [SliceSpec], at loc: SourceLocation) -> Node { unimplemented() }

    /// Integer-array indexing `x[i0, i1, ...]`: indices cast to int64 and broadcast together.
    package static func advancedIndex(_ x: Node, _ indices: [Node], at loc: SourceLocation) -> Node {
        unimplemented()
    }

    /// Theano's set_subtensor / inc_subtensor: `subtensor` must be a `.slice` or
    /// `.advancedIndex` node; values are cast to x's dtype and broadcast to the subtensor shape.
    package static func setSubtensor(_ subtensor: Node, _ values: Node, accumulate: Bool,
                                     at loc: SourceLocation) -> Node { unimplemented() }

    // MARK: Construction and shape queries

    /// `arange(start, stop, step)`; dtype nil = promoted dtype of the three scalars.
    package static func arange(_ start: Node, _ stop: Node, _ step: Node, dtype: DType?,
                               at loc: SourceLocation) -> Node { unimplemented() }

    /// `value` broadcast to the extents given by int scalar nodes.
    package static func alloc(_ value: Node, dims: [Node], at loc: SourceLocation) -> Node { unimplemented() }

    /// A tensor shaped like x filled with `value` (x's dtype unless given).
    package static func fill(like x: Node, value: Double, dtype: DType?, at loc: SourceLocation) -> Node {
        unimplemented()
    }

    /// `x.shape[axis]` as an int64 scalar (negative axis counts from the end).
    package static func dimension(_ x: Node, axis: Int, at loc: SourceLocation) -> Node { unimplemented() }

    /// The Dim an int scalar node stands for when it is statically known (constants, dimension
    /// queries, and +,-,*,floor-division of those); nil otherwise.
    package static func staticDim(of scalar: Node) -> Dim? { unimplemented() }

    // MARK: Neural-network ops

    /// Numerically stable softmax along `axis` (negative counts from the end).
    package static func softmax(_ x: Node, axis: Int, at loc: SourceLocation) -> Node { unimplemented() }

    /// Numerically stable log-softmax along `axis`.
    package static func logSoftmax(_ x: Node, axis: Int, at loc: SourceLocation) -> Node { unimplemented() }

    /// Per-row cross-entropy of probabilities `p` (n,k) with int labels (n) or one-hot /
    /// soft targets (n,k): `-log(p[arange(n), y])` or `-sum(t * log(p), axis: -1)`.
    package static func categoricalCrossentropy(_ p: Node, _ target: Node, at loc: SourceLocation) -> Node {
        unimplemented()
    }

    /// Elementwise `-(t*log(p) + (1-t)*log(1-p))`.
    package static func binaryCrossentropy(_ p: Node, _ target: Node, at loc: SourceLocation) -> Node {
        unimplemented()
    }

    /// Identity with a zero gradient.
    package static func stopGradient(_ x: Node, at loc: SourceLocation) -> Node { unimplemented() }
}

