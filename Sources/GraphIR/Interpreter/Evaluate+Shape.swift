import TensorRuntime

/// x viewed with the given dims (sharing storage). A single dim whose symbols are not bound
/// yet is inferred from the element count; the result check then binds them.
func evaluateReshape(_ node: Node, _ dims: [Dim], _ x: Tensor,
                     _ bindings: [DimSymbol: Int]) throws(GraphError) -> Tensor {
    var shape = dims.map { $0.evaluate(bindings) }
    let unknown = shape.indices.filter { shape[$0] == nil }
    let known = shape.compactMap { $0 }.reduce(1, *)
    if unknown.count == 1, known > 0, x.count % known == 0 {
        shape[unknown[0]] = x.count / known
    }
    let concrete = shape.compactMap { $0 }
    guard concrete.count == dims.count, concrete.allSatisfy({ $0 >= 0 }),
          concrete.reduce(1, *) == x.count else {
        let target = shape.enumerated().map { $1.map(String.init) ?? dims[$0].description }
        throw node.evaluationError(.shape, "cannot reshape \(ShapeBinding.describe(x.shape)) "
                                   + "(\(x.count) elements) to [\(target.joined(separator: ", "))] at run time")
    }
    return x.reshaped(concrete)
}

/// Theano's DimShuffle: permutes axes, inserts size-1 axes (nil) and drops unlisted axes,
/// which must have extent 1. Shares storage when no axes move; copies otherwise.
func evaluateDimshuffle(_ node: Node, _ pattern: [Int?], _ x: Tensor) throws(GraphError) -> Tensor {
    let listed = Set(pattern.compactMap { $0 })
    for axis in x.shape.indices where !listed.contains(axis) && x.shape[axis] != 1 {
        throw node.evaluationError(.shape, "dropped axis \(axis) of \(ShapeBinding.describe(x.shape)) "
                                   + "has extent \(x.shape[axis]), expected 1")
    }
    let xStrides = rowMajorStrides(x.shape)
    let shape = pattern.map { $0.map { x.shape[$0] } ?? 1 }
    let axes = pattern.compactMap { $0 }
    if axes == axes.sorted() { return x.reshaped(shape) }
    let strides = pattern.map { $0.map { xStrides[$0] } ?? 0 }
    return x.gathered(StridedView(offset: 0, shape: shape, strides: strides))
}

/// Joins the operands along `axis`; every other extent must agree at run time.
func evaluateConcatenate(_ node: Node, _ axis: Int, _ xs: [Tensor]) throws(GraphError) -> Tensor {
    let first = xs[0]
    for x in xs.dropFirst() {
        var a = first.shape, b = x.shape
        a[axis] = 0
        b[axis] = 0
        guard a == b else {
            throw node.evaluationError(.shape, "operands \(ShapeBinding.describe(first.shape)) and "
                                       + "\(ShapeBinding.describe(x.shape)) differ off axis \(axis) at run time")
        }
    }
    var shape = first.shape
    shape[axis] = xs.reduce(0) { $0 + $1.shape[axis] }
    var out = Tensor(zeros: shape, dtype: node.type.dtype)
    let outer = shape[..<axis].reduce(1, *)
    let innerBytes = shape[(axis + 1)...].reduce(1, *) * out.dtype.byteSize
    let rowBytes = shape[axis] * innerBytes
    out.withUnsafeMutableRawBuffer { dst in
        var column = 0
        for x in xs {
            let chunk = x.shape[axis] * innerBytes
            x.withUnsafeRawBuffer { src in
                for o in 0..<outer where chunk > 0 {
                    (dst.baseAddress! + o * rowBytes + column).copyMemory(from: src.baseAddress! + o * chunk,
                                                                          byteCount: chunk)
                }
            }
            column += chunk
        }
    }
    return out
}

/// `start + i*step` for i < max(0, ceil((stop - start) / step)), in the dtype's lane.
func evaluateArange(_ node: Node, _ dtype: DType, _ start: Tensor, _ stop: Tensor,
                    _ step: Tensor) throws(GraphError) -> Tensor {
    if dtype.isFloatingPoint {
        let (a, z, s) = (start.double(at: 0), stop.double(at: 0), step.double(at: 0))
        guard s != 0 else { throw node.evaluationError(.runtime, "arange step is zero") }
        let n = try checkedLength(node, (z - a) / s)
        return Tensor(doubleLane: (0..<n).map { a + Double($0) * s }, shape: [n], dtype: dtype)
    }
    let (a, z, s) = (start.int64(at: 0), stop.int64(at: 0), step.int64(at: 0))
    guard s != 0 else { throw node.evaluationError(.runtime, "arange step is zero") }
    // ceil((z - a) / s) exactly, in Double only for the (rare) overflowing span.
    let (span, overflow) = z.subtractingReportingOverflow(a)
    let length = overflow ? (Double(z) - Double(a)) / Double(s) : Double(ceilDivide(span, s))
    let n = try checkedLength(node, length)
    return Tensor(int64Lane: (0..<n).map { a &+ Int64($0) &* s }, shape: [n], dtype: dtype)
}

/// `ceil(a / b)` for b ≠ 0.
private func ceilDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let (q, overflow) = a.dividedReportingOverflow(by: b)
    if overflow { return .max }
    return (a % b != 0 && (a < 0) == (b < 0)) ? q + 1 : q
}

/// max(0, ceil(length)) as an Int, rejecting lengths no tensor can have (NaN, huge).
private func checkedLength(_ node: Node, _ length: Double) throws(GraphError) -> Int {
    let rounded = length.rounded(.up)
    if rounded.isNaN || rounded > Double(1 << 40) {
        throw node.evaluationError(.runtime, "arange length \(rounded) is not a usable extent")
    }
    return rounded <= 0 ? 0 : Int(rounded)
}

/// The scalar `value` broadcast to the extents given by the int scalar operands.
func evaluateAlloc(_ node: Node, _ value: Tensor, _ dims: [Tensor]) throws(GraphError) -> Tensor {
    var shape: [Int] = []
    for (axis, d) in dims.enumerated() {
        let extent = d.int64(at: 0)
        guard extent >= 0, extent < 1 << 40 else {
            throw node.evaluationError(.runtime, "alloc extent \(extent) of axis \(axis) is not a valid size")
        }
        shape.append(Int(extent))
    }
    guard value.count == 1 else {
        throw node.evaluationError(.shape, "alloc value must be a scalar, got \(ShapeBinding.describe(value.shape))")
    }
    return value.gathered(StridedView(offset: 0, shape: shape, strides: shape.map { _ in 0 }))
}
