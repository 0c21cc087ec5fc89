import TensorRuntime

extension SliceSpec {
    /// The extent of an axis of size `d` after `start:stop:step` (Python semantics; step ≠ 0).
    ///
    /// A negative step is mirrored to a positive one (index i ↦ -i-1), then the span between
    /// the clamped bounds is worked out per sign of the bounds so symbolic sizes stay simple
    /// (`1:` on `?n` is `max(0,?n-1)`, `:-1` is `max(0,?n-1)`, `-3:` is `min(3,?n)`).
    package static func length(start: Int?, stop: Int?, step: Int, of d: Dim) -> Dim {
        precondition(step != 0, "slice step 0")
        if step < 0 {
            return length(start: start.map { -$0 - 1 }, stop: stop.map { -$0 - 1 }, step: -step, of: d)
        }
        let s = start ?? 0
        let span: Dim
        switch (s >= 0, stop) {
        case (true, nil): span = .max(0, d - .constant(s))
        case (false, nil): span = .min(.constant(-s), d)
        case (true, let e?) where e >= 0:
            span = e <= s ? 0 : .min(.constant(e - s), .max(0, d - .constant(s)))
        case (true, let e?): span = .max(0, d + .constant(e - s))
        case (false, let e?) where e < 0:
            span = e <= s ? 0 : .min(.constant(e - s), .max(0, d + .constant(e)))
        case (false, let e?): span = .max(0, .min(.constant(e), d) - .max(d + .constant(s), 0))
        }
        return step == 1 ? span : .ceilDiv(span, .constant(step))
    }
}

extension TypeRule {
    /// `.slice`: one spec per leading axis; indices drop their axis.
    func slice(_ specs: [SliceSpec]) throws(GraphError) -> TensorType {
        try arity(1)
        return try slicedType(inputs[0], specs)
    }

    /// The type of `x[specs]`; an index into a constant-size axis is range-checked.
    func slicedType(_ x: TensorType, _ specs: [SliceSpec]) throws(GraphError) -> TensorType {
        guard specs.count <= x.rank else {
            throw error(.argument, "\(specs.count) slice specs for \(x) (rank \(x.rank))")
        }
        var shape: [Dim] = []
        for (axis, d) in x.shape.enumerated() {
            switch axis < specs.count ? specs[axis] : .all {
            case .index(let i):
                if let n = d.constantValue, i >= n || i < -n {
                    throw error(.argument, "index \(i) is out of range for axis \(axis) of \(x)")
                }
            case .range(let start, let stop, let step):
                guard step != 0 else { throw error(.argument, "slice step cannot be zero (axis \(axis) of \(x))") }
                shape.append(SliceSpec.length(start: start, stop: stop, step: step, of: d))
            }
        }
        return TensorType(x.dtype, shape)
    }

    /// `.advancedIndex`: x then integer index tensors of one shape S; result S + x.shape[k...].
    func advancedIndex() throws(GraphError) -> TensorType {
        try arity(atLeast: 2)
        return try indexedType(inputs[0], Array(inputs.dropFirst()))
    }

    /// The type of `x[indices...]` for integer index tensors.
    func indexedType(_ x: TensorType, _ indices: [TensorType]) throws(GraphError) -> TensorType {
        guard indices.count <= x.rank else {
            throw error(.argument, "\(indices.count) index tensors for \(x) (rank \(x.rank))")
        }
        if let bad = indices.first(where: { !$0.dtype.isInteger }) {
            throw error(.dtype, "index tensors must be integers, got \(bad)")
        }
        var shape = indices[0].shape
        for other in indices.dropFirst() {
            shape = try unifyShapes(TensorType(indices[0].dtype, shape), other, verb: "of index tensors do not match")
        }
        return TensorType(x.dtype, shape + x.shape[indices.count...])
    }

    /// `.setSlice`: x and values shaped like `x[specs]`; result x's type.
    func setSlice(_ specs: [SliceSpec]) throws(GraphError) -> TensorType {
        try arity(2)
        try checkValues(inputs[1], fit: try slicedType(inputs[0], specs))
        return inputs[0]
    }

    /// `.setAdvancedIndex`: x, values shaped like `x[indices]`, indices; result x's type.
    func setAdvancedIndex() throws(GraphError) -> TensorType {
        try arity(atLeast: 3)
        try checkValues(inputs[1], fit: try indexedType(inputs[0], Array(inputs.dropFirst(2))))
        return inputs[0]
    }

    /// Requires `values` to have the dtype and (unifying) shape of the selected part.
    private func checkValues(_ values: TensorType, fit selected: TensorType) throws(GraphError) {
        guard values.dtype == selected.dtype else {
            throw error(.dtype, "values \(values) do not have the dtype of the selection \(selected)")
        }
        guard values.rank == selected.rank else {
            throw error(.shape, "values \(values) do not fit the selection \(selected): ranks differ")
        }
        for (v, d) in zip(values.shape, selected.shape) where Dim.unify(v, d) == nil {
            throw error(.shape, "values \(values) do not fit the selection \(selected): \(v) != \(d)")
        }
    }
}
