import TensorRuntime

extension Reduction {
    /// The dtype a reduction of `dtype` produces: sum/prod widen bool and small ints to int64,
    /// max/min keep the dtype, mean keeps floats and turns everything else into floatX.
    package func resultDType(_ dtype: DType) -> DType {
        switch self {
        case .sum, .prod:
            switch dtype {
            case .bool, .uint8, .int32: return .int64
            case .int64, .float32, .float64: return dtype
            }
        case .max, .min: return dtype
        case .mean: return dtype.isFloatingPoint ? dtype : DType.floatX
        }
    }
}

extension TypeRule {
    /// `.reduce`: axes sorted, distinct and in range; reduced axes dropped or kept as size 1.
    func reduce(_ reduction: Reduction, axes: [Int], keepDims: Bool) throws(GraphError) -> TensorType {
        try arity(1)
        let x = inputs[0]
        for axis in axes { try checkAxis(axis, of: x) }
        guard zip(axes, axes.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw error(.argument, "axes \(axes) must be sorted and distinct")
        }
        return TensorType(reduction.resultDType(x.dtype), reducedShape(x.shape, axes: axes, keepDims: keepDims))
    }

    /// `.argmax` / `.argmin`: int64 indices along one axis.
    func argIndex(axis: Int, keepDims: Bool) throws(GraphError) -> TensorType {
        try arity(1)
        try checkAxis(axis, of: inputs[0])
        return TensorType(.int64, reducedShape(inputs[0].shape, axes: [axis], keepDims: keepDims))
    }

    /// `shape` without `axes` (or with them set to 1 when `keepDims`).
    private func reducedShape(_ shape: [Dim], axes: [Int], keepDims: Bool) -> [Dim] {
        var result: [Dim] = []
        for (i, d) in shape.enumerated() {
            if !axes.contains(i) {
                result.append(d)
            } else if keepDims {
                result.append(1)
            }
        }
        return result
    }
}
