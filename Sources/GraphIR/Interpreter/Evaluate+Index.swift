import TensorRuntime

/// Basic slicing with Python semantics (negative indices and steps, clamped bounds).
func evaluateSlice(_ node: Node, _ specs: [SliceSpec], _ x: Tensor) throws(GraphError) -> Tensor {
    x.gathered(try sliceView(node, specs, x.shape))
}

/// Gathers blocks `x[i0[p], i1[p], ..., :]` for every position p of the index tensors.
func evaluateAdvancedIndex(_ node: Node, _ x: Tensor, _ indices: [Tensor]) throws(GraphError) -> Tensor {
    let starts = try blockOffsets(node, x.shape, indices)
    let blockShape = Array(x.shape[indices.count...])
    let block = blockShape.reduce(1, *)
    var out = Tensor(zeros: indices[0].shape + blockShape, dtype: x.dtype)
    let bytes = block * x.dtype.byteSize
    guard bytes > 0 else { return out }
    x.withUnsafeRawBuffer { src in
        out.withUnsafeMutableRawBuffer { dst in
            for (p, start) in starts.enumerated() {
                (dst.baseAddress! + p * bytes).copyMemory(from: src.baseAddress! + start * x.dtype.byteSize,
                                                          byteCount: bytes)
            }
        }
    }
    return out
}

/// x with `x[specs]` replaced by (or incremented by) values of the sliced shape.
func evaluateSetSlice(_ node: Node, _ specs: [SliceSpec], _ accumulate: Bool, _ x: Tensor,
                      _ values: Tensor) throws(GraphError) -> Tensor {
    let view = try sliceView(node, specs, x.shape)
    guard values.shape == view.shape else {
        throw node.evaluationError(.shape, "values have shape \(ShapeBinding.describe(values.shape)) but the slice "
                                   + "\(specs) of \(ShapeBinding.describe(x.shape)) has shape "
                                   + ShapeBinding.describe(view.shape))
    }
    var out = x
    out.scatter(values, at: view.offsets, accumulate: accumulate)
    return out
}

/// x with `x[i0, i1, ...]` replaced (last write wins) or incremented (repeats accumulate).
func evaluateSetAdvancedIndex(_ node: Node, _ accumulate: Bool, _ x: Tensor, _ values: Tensor,
                              _ indices: [Tensor]) throws(GraphError) -> Tensor {
    let starts = try blockOffsets(node, x.shape, indices)
    let blockShape = Array(x.shape[indices.count...])
    guard values.shape == indices[0].shape + blockShape else {
        throw node.evaluationError(.shape, "values have shape \(ShapeBinding.describe(values.shape)), indexing "
                                   + "\(ShapeBinding.describe(x.shape)) selects "
                                   + ShapeBinding.describe(indices[0].shape + blockShape))
    }
    let block = blockShape.reduce(1, *)
    var offsets: [Int] = []
    offsets.reserveCapacity(values.count)
    for start in starts { offsets.append(contentsOf: start..<(start + block)) }
    var out = x
    out.scatter(values, at: offsets, accumulate: accumulate)
    return out
}

/// The element offset in x of the block picked by each position of the index tensors
/// (which must share one shape); negative indices wrap once.
private func blockOffsets(_ node: Node, _ shape: [Int], _ indices: [Tensor]) throws(GraphError) -> [Int] {
    precondition(!indices.isEmpty && indices.count <= shape.count, "advanced index arity")
    for idx in indices.dropFirst() where idx.shape != indices[0].shape {
        throw node.evaluationError(.shape, "index tensors have different run-time shapes "
                                   + "\(ShapeBinding.describe(indices[0].shape)) and \(ShapeBinding.describe(idx.shape))")
    }
    let strides = rowMajorStrides(shape)
    var offsets = [Int](repeating: 0, count: indices[0].count)
    for (axis, idx) in indices.enumerated() {
        let n = shape[axis]
        for (p, i) in idx.int64Lane().enumerated() {
            let wrapped = i < 0 ? i + Int64(n) : i
            guard wrapped >= 0, wrapped < n else {
                throw node.evaluationError(.runtime, "index \(i) is out of bounds for axis \(axis) with size \(n)")
            }
            offsets[p] += Int(wrapped) * strides[axis]
        }
    }
    return offsets
}

/// The view `x[specs]` over a contiguous buffer of `shape`; `.index` axes are dropped.
private func sliceView(_ node: Node, _ specs: [SliceSpec], _ shape: [Int]) throws(GraphError) -> StridedView {
    guard specs.count <= shape.count else {
        throw node.evaluationError(.shape, "\(specs.count) slice specs for shape \(ShapeBinding.describe(shape))")
    }
    let strides = rowMajorStrides(shape)
    var offset = 0, outShape: [Int] = [], outStrides: [Int] = []
    for axis in shape.indices {
        let n = shape[axis]
        switch axis < specs.count ? specs[axis] : .all {
        case .index(let i):
            let j = i < 0 ? i + n : i
            guard j >= 0, j < n else {
                throw node.evaluationError(.runtime, "index \(i) is out of bounds for axis \(axis) with size \(n)")
            }
            offset += j * strides[axis]
        case .range(let start, let stop, let step):
            guard step != 0, step != .min else {
                throw node.evaluationError(.argument, "slice step \(step) of axis \(axis) is not allowed")
            }
            let (first, length) = pythonSlice(start, stop, step, n)
            if length > 0 { offset += first * strides[axis] }
            outShape.append(length)
            // With two or more elements |step| < n, so the product cannot overflow.
            outStrides.append(length > 1 ? step * strides[axis] : 0)
        }
    }
    return StridedView(offset: offset, shape: outShape, strides: outStrides)
}

/// Python's `slice(start, stop, step).indices(n)`: the first index and the element count.
func pythonSlice(_ start: Int?, _ stop: Int?, _ step: Int, _ n: Int) -> (first: Int, length: Int) {
    if step > 0 {
        let s = clampForward(start, n, default: 0), e = clampForward(stop, n, default: n)
        return (s, e > s ? (e - s - 1) / step + 1 : 0)
    }
    let s = clampBackward(start, n, default: n - 1), e = clampBackward(stop, n, default: -1)
    return (s, s > e ? (s - e - 1) / -step + 1 : 0)
}

/// A bound for a positive step: negative counts from the end, clamped to 0...n.
private func clampForward(_ bound: Int?, _ n: Int, default value: Int) -> Int {
    guard let bound else { return value }
    if bound < 0 { return Swift.max(bound + n, 0) }
    return Swift.min(bound, n)
}

/// A bound for a negative step: negative counts from the end, clamped to -1...n-1.
private func clampBackward(_ bound: Int?, _ n: Int, default value: Int) -> Int {
    guard let bound else { return value }
    if bound < 0 { return Swift.max(bound + n, -1) }
    return Swift.min(bound, n - 1)
}

extension Tensor {
    /// Writes (or adds) `values[i]` at element offset `offsets[i]`, in order: the last write
    /// wins, repeated offsets accumulate. Floats add in the dtype, integers wrap.
    fileprivate mutating func scatter(_ values: Tensor, at offsets: [Int], accumulate: Bool) {
        precondition(values.count == offsets.count && values.dtype == dtype, "scatter operands")
        switch (dtype, accumulate) {
        case (.float32, true): scatterAdd(values, offsets, as: Float.self)
        case (.float64, true): scatterAdd(values, offsets, as: Double.self)
        case (.int32, true), (.int64, true), (.uint8, true), (.bool, true):
            var lane = int64Lane()
            for (i, v) in values.int64Lane().enumerated() { lane[offsets[i]] = lane[offsets[i]] &+ v }
            self = Tensor(int64Lane: lane, shape: shape, dtype: dtype)
        case (_, false):
            switch dtype.byteSize {
            case 1: scatterSet(values, offsets, as: UInt8.self)
            case 4: scatterSet(values, offsets, as: UInt32.self)
            default: scatterSet(values, offsets, as: UInt64.self)
            }
        }
    }

    /// Adds in the float dtype itself (each addition rounds, like a float kernel would).
    private mutating func scatterAdd<T: TensorScalar & FloatingPoint>(_ values: Tensor, _ offsets: [Int],
                                                                      as type: T.Type) {
        values.withUnsafeBufferPointer(as: T.self) { v in
            withUnsafeMutableBufferPointer(as: T.self) { out in
                for (i, o) in offsets.enumerated() { out[o] += v[i] }
            }
        }
    }

    /// Copies elements bit for bit, `T` being an integer type of the element size.
    private mutating func scatterSet<T>(_ values: Tensor, _ offsets: [Int], as type: T.Type) {
        let size = MemoryLayout<T>.stride
        values.withUnsafeRawBuffer { v in
            withUnsafeMutableRawBuffer { out in
                for (i, o) in offsets.enumerated() {
                    out.storeBytes(of: v.load(fromByteOffset: i * size, as: T.self), toByteOffset: o * size, as: T.self)
                }
            }
        }
    }
}
