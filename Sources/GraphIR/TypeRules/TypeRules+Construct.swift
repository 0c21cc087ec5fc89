import TensorRuntime

extension TypeRule {
    /// `.arange`: scalar start, stop, step of the dtype; result [length].
    func arange(_ dtype: DType, length: Dim) throws(GraphError) -> TensorType {
        try arity(3)
        try checkExtents([length])
        guard dtype != .bool else { throw error(.dtype, "cannot make a bool range") }
        if let bad = inputs.first(where: { $0 != .scalar(dtype) }) {
            throw error(.dtype, "start, stop and step must be \(TensorType.scalar(dtype)) scalars, got \(bad)")
        }
        return TensorType(dtype, [length])
    }

    /// `.alloc`: a scalar value, then one int scalar per axis; result value's dtype, `dims`.
    func alloc(_ dims: [Dim]) throws(GraphError) -> TensorType {
        try arity(dims.count + 1)
        try checkExtents(dims)
        guard inputs[0].rank == 0 else { throw error(.shape, "the fill value must be a scalar, got \(inputs[0])") }
        if let bad = inputs.dropFirst().first(where: { $0.rank != 0 || !$0.dtype.isInteger }) {
            throw error(.dtype, "extents must be integer scalars, got \(bad)")
        }
        return TensorType(inputs[0].dtype, dims)
    }

    /// `.dimension`: x.shape[axis] as an int64 scalar.
    func dimension(axis: Int) throws(GraphError) -> TensorType {
        try arity(1)
        try checkAxis(axis, of: inputs[0])
        return .scalar(.int64)
    }

    /// `.softmax` / `.logSoftmax`: float input, axis in range; same type.
    func softmax(axis: Int) throws(GraphError) -> TensorType {
        try arity(1)
        let x = inputs[0]
        guard x.dtype.isFloatingPoint else { throw error(.dtype, "needs a float operand, got \(x)") }
        try checkAxis(axis, of: x)
        return x
    }
}
