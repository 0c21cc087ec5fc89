import TensorRuntime

extension TypeRule {
    /// `.reshape`: the element counts must not provably differ (run time checks the rest).
    func reshape(_ dims: [Dim]) throws(GraphError) -> TensorType {
        try arity(1)
        try checkExtents(dims)
        let x = inputs[0]
        let target = TensorType(x.dtype, dims)
        let have = Dim.product(of: x.shape), want = Dim.product(of: dims)
        if Dim.provablyDiffer(have, want) {
            throw error(.shape, "cannot reshape \(x) to \(target): \(have) != \(want) elements")
        }
        return target
    }

    /// `.dimshuffle`: permutes axes, inserts size-1 axes (nil), drops unlisted size-1 axes.
    func dimshuffle(_ pattern: [Int?]) throws(GraphError) -> TensorType {
        try arity(1)
        let x = inputs[0]
        let listed = pattern.compactMap { $0 }
        for axis in listed { try checkAxis(axis, of: x) }
        guard Set(listed).count == listed.count else {
            throw error(.argument, "pattern \(describe(pattern)) lists an axis twice")
        }
        for axis in 0..<x.rank where !listed.contains(axis) && !x.shape[axis].isOne {
            throw error(.shape, "pattern \(describe(pattern)) drops axis \(axis) of \(x), which is not of size 1")
        }
        return TensorType(x.dtype, pattern.map { $0.map { x.shape[$0] } ?? 1 })
    }

    /// `[1,x,0]` for messages (Theano's notation: x is a new axis).
    func describe(_ pattern: [Int?]) -> String {
        "[" + pattern.map { $0.map(String.init) ?? "x" }.joined(separator: ",") + "]"
    }

    /// `.concatenate`: same dtype and rank, other dims unify; the axis sizes add up.
    func concatenate(axis: Int) throws(GraphError) -> TensorType {
        try arity(atLeast: 1)
        let first = inputs[0]
        let dtype = try sharedDType(inputs)
        try checkAxis(axis, of: first)
        var shape = first.shape
        for other in inputs.dropFirst() {
            guard other.rank == first.rank else {
                throw error(.shape, "shapes \(first) and \(other) cannot be joined: ranks differ")
            }
            for i in 0..<shape.count where i != axis {
                guard let d = Dim.unify(shape[i], other.shape[i]) else {
                    throw error(.shape, "shapes \(first) and \(other) cannot be joined on axis \(axis): "
                                + "\(shape[i]) != \(other.shape[i]) on axis \(i)")
                }
                shape[i] = d
            }
            shape[axis] = shape[axis] + other.shape[axis]
        }
        return TensorType(dtype, shape)
    }
}
