import TensorRuntime

/// Reduces x over `axes`: floats accumulate in Double, integers and bools in wrapping Int64
/// (mean always in Double). Empty sum is 0, empty prod 1, empty mean NaN; an empty max/min
/// is a run-time error; max/min propagate NaN.
func evaluateReduce(_ node: Node, _ r: Reduction, _ axes: [Int], _ keepDims: Bool,
                    _ x: Tensor) throws(GraphError) -> Tensor {
    let reduced = Set(axes)
    let reducedCount = axes.reduce(1) { $0 * x.shape[$1] }
    if reducedCount == 0, r == .max || r == .min {
        throw node.evaluationError(.runtime, "zero-size reduction: \(r.rawValue) over axes \(axes) "
                                   + "of shape \(ShapeBinding.describe(x.shape)) has no identity")
    }
    let keptShape = x.shape.indices.map { reduced.contains($0) ? 1 : x.shape[$0] }
    let keptStrides = rowMajorStrides(keptShape)
    // Iterate over x; each element's offset is its output index (stride 0 on reduced axes).
    let view = StridedView(offset: 0, shape: x.shape,
                           strides: x.shape.indices.map { reduced.contains($0) ? 0 : keptStrides[$0] })
    let outShape = keepDims ? keptShape : x.shape.indices.filter { !reduced.contains($0) }.map { x.shape[$0] }
    let outCount = keptShape.reduce(1, *)
    if x.dtype.isFloatingPoint || r == .mean {
        var acc = reduceDouble(r, x, view, outCount)
        if r == .mean { acc = acc.map { $0 / Double(reducedCount) } }
        return Tensor(doubleLane: acc, shape: outShape, dtype: node.type.dtype)
    }
    let acc = reduceInt64(r, x.int64Lane(), view, outCount)
    return Tensor(int64Lane: acc, shape: outShape, dtype: node.type.dtype)
}

/// Accumulates in Double (mean accumulates a sum); float32 reads through a typed buffer.
private func reduceDouble(_ r: Reduction, _ x: Tensor, _ view: StridedView, _ outCount: Int) -> [Double] {
    if x.dtype == .float32 {
        return x.withUnsafeBufferPointer(as: Float.self) { p in
            accumulateDouble(r, view, outCount) { Double(p[$0]) }
        }
    }
    let values = x.doubleLane()
    return accumulateDouble(r, view, outCount) { values[$0] }
}

/// Folds `value(i)` of each element i into its output slot `o` of the view (Double lane).
private func accumulateDouble(_ r: Reduction, _ view: StridedView, _ outCount: Int,
                              _ value: (Int) -> Double) -> [Double] {
    switch r {
    case .sum, .mean:
        var acc = [Double](repeating: 0, count: outCount)
        view.forEachOffset { i, o in acc[o] += value(i) }
        return acc
    case .prod:
        var acc = [Double](repeating: 1, count: outCount)
        view.forEachOffset { i, o in acc[o] *= value(i) }
        return acc
    case .max, .min:
        var acc = [Double](repeating: r == .max ? -.infinity : .infinity, count: outCount)
        let pick = r == .max ? ScalarMath.maximum : ScalarMath.minimum
        view.forEachOffset { i, o in acc[o] = pick(acc[o], value(i)) }
        return acc
    }
}

/// Folds each element into its output slot with wrapping Int64 arithmetic.
private func reduceInt64(_ r: Reduction, _ values: [Int64], _ view: StridedView, _ outCount: Int) -> [Int64] {
    switch r {
    case .sum, .mean:
        var acc = [Int64](repeating: 0, count: outCount)
        view.forEachOffset { i, o in acc[o] = acc[o] &+ values[i] }
        return acc
    case .prod:
        var acc = [Int64](repeating: 1, count: outCount)
        view.forEachOffset { i, o in acc[o] = acc[o] &* values[i] }
        return acc
    case .max:
        var acc = [Int64](repeating: .min, count: outCount)
        view.forEachOffset { i, o in acc[o] = Swift.max(acc[o], values[i]) }
        return acc
    case .min:
        var acc = [Int64](repeating: .max, count: outCount)
        view.forEachOffset { i, o in acc[o] = Swift.min(acc[o], values[i]) }
        return acc
    }
}

/// Index (int64) of the first maximum (or minimum) along `axis`; the first NaN wins if any.
func evaluateArgExtreme(_ node: Node, _ axis: Int, _ keepDims: Bool, _ x: Tensor,
                        max: Bool) throws(GraphError) -> Tensor {
    let n = x.shape[axis]
    let outer = x.shape[..<axis].reduce(1, *), inner = x.shape[(axis + 1)...].reduce(1, *)
    var outShape = x.shape
    if keepDims { outShape[axis] = 1 } else { outShape.remove(at: axis) }
    if n == 0 {
        throw node.evaluationError(.runtime, "zero-size reduction: arg\(max ? "max" : "min") over axis \(axis) "
                                   + "of shape \(ShapeBinding.describe(x.shape))")
    }
    var result = [Int64](repeating: 0, count: outer * inner)
    if x.dtype.isFloatingPoint {
        let v = x.doubleLane()
        for o in 0..<outer {
            for i in 0..<inner { result[o * inner + i] = Int64(argExtreme(n, max) { v[(o * n + $0) * inner + i] }) }
        }
    } else {
        let v = x.int64Lane()
        for o in 0..<outer {
            for i in 0..<inner { result[o * inner + i] = Int64(argExtreme(n, max) { v[(o * n + $0) * inner + i] }) }
        }
    }
    return Tensor(int64Lane: result, shape: outShape, dtype: .int64)
}

/// The first index of the extreme among `n` values (Double: the first NaN if any).
private func argExtreme(_ n: Int, _ max: Bool, _ value: (Int) -> Double) -> Int {
    var best = 0, bestValue = value(0)
    if bestValue.isNaN { return 0 }
    for k in 1..<Swift.max(n, 1) {
        let v = value(k)
        if v.isNaN { return k }
        if max ? v > bestValue : v < bestValue { (best, bestValue) = (k, v) }
    }
    return best
}

/// The first index of the extreme among `n` Int64 values.
private func argExtreme(_ n: Int, _ max: Bool, _ value: (Int) -> Int64) -> Int {
    var best = 0, bestValue = value(0)
    for k in 1..<Swift.max(n, 1) {
        let v = value(k)
        if max ? v > bestValue : v < bestValue { (best, bestValue) = (k, v) }
    }
    return best
}
