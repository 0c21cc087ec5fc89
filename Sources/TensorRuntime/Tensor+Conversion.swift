/// Dtype conversion, reshaping, element subscripts, row gathering and approximate equality.
extension DType {
    /// The Swift type that stores this dtype (`Int64` for int64, `Bool` for bool).
    package var scalarType: any TensorScalar.Type {
        switch self {
        case .float32: return Float.self
        case .float64: return Double.self
        case .int32: return Int32.self
        case .int64: return Int64.self
        case .uint8: return UInt8.self
        case .bool: return Bool.self
        }
    }
}

extension Tensor {
    /// This tensor's elements converted to `dtype` with C-cast semantics.
    ///
    /// Floating sources go through the Double lane, integer and bool sources through the Int64
    /// lane: float → int truncates toward zero (NaN and out-of-range values give 0, as
    /// `truncatingInt64`), wide → narrow integers wrap, anything → bool is `!= 0`.
    /// Returns `self` (sharing storage) when the dtype already matches.
    public func converted(to dtype: DType) -> Tensor {
        if dtype == self.dtype { return self }
        return Tensor.convert(self, from: self.dtype.scalarType, to: dtype.scalarType)
    }

    private static func convert<S: TensorScalar, D: TensorScalar>(
        _ source: Tensor, from: S.Type, to: D.Type
    ) -> Tensor {
        var result = Tensor(zeros: source.shape, dtype: D.dtype)
        let viaDouble = S.dtype.isFloatingPoint
        source.withUnsafeBufferPointer(as: S.self) { src in
            result.withUnsafeMutableBufferPointer(as: D.self) { dst in
                if viaDouble {
                    for i in 0..<src.count { dst[i] = D(fromDouble: src[i].doubleValue) }
                } else {
                    for i in 0..<src.count { dst[i] = D(fromInt64: src[i].int64Value) }
                }
            }
        }
        return result
    }

    /// The same elements under a new shape, sharing storage (no copy).
    ///
    /// One extent may be `-1`: it is inferred from the element count. Throws
    /// `TensorError(.shape)` when the counts differ, for more than one `-1`, or for any other
    /// negative extent.
    public func reshaped(to newShape: [Int]) throws -> Tensor {
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        guard inferred.count <= 1, newShape.allSatisfy({ $0 >= -1 }) else {
            throw TensorError(.shape, "cannot reshape \(shape) to \(newShape): invalid extents")
        }
        var target = newShape
        let known = newShape.filter { $0 != -1 }.reduce(1, *)
        if let axis = inferred.first {
            guard known > 0, count % known == 0 else {
                throw TensorError(.shape, "cannot reshape \(shape) (\(count) elements) to \(newShape)")
            }
            target[axis] = count / known
        }
        guard target.reduce(1, *) == count else {
            throw TensorError(.shape, "cannot reshape \(shape) (\(count) elements) to \(newShape)")
        }
        return Tensor(shape: target, dtype: dtype, storage: storage)
    }

    /// The row-major flat index of a full multi-index; traps when out of bounds.
    private func flatIndex(_ indices: [Int]) -> Int {
        precondition(indices.count == rank, "Tensor subscript: \(indices.count) indices for rank \(rank)")
        var flat = 0
        for (axis, i) in indices.enumerated() {
            precondition(i >= 0 && i < shape[axis], "Tensor subscript: index \(indices) out of bounds for \(shape)")
            flat = flat * shape[axis] + i
        }
        return flat
    }

    /// The element at a full multi-index (`t[i, j]`), read as a Double and written with the
    /// dtype's C-cast conversion. The index count must equal the rank and each index must be in
    /// bounds (a programming error otherwise, like an Array subscript).
    public subscript(indices: Int...) -> Double {
        get { double(at: flatIndex(indices)) }
        set { setDouble(newValue, at: flatIndex(indices)) }
    }

    /// The rows (slices along axis 0) at `indices`, in that order: a minibatch gather.
    ///
    /// The result has shape `[indices.count] + shape.dropFirst()`. Throws `TensorError(.shape)`
    /// for a scalar and when an index is outside `0..<shape[0]`.
    public func rows(_ indices: [Int]) throws -> Tensor {
        guard rank >= 1 else { throw TensorError(.shape, "rows(_:) needs rank >= 1, got a scalar") }
        if let bad = indices.first(where: { $0 < 0 || $0 >= shape[0] }) {
            throw TensorError(.shape, "rows(_:): index \(bad) out of range 0..<\(shape[0]) for shape \(shape)")
        }
        let rowBytes = shape.dropFirst().reduce(1, *) * dtype.byteSize
        var result = Tensor(zeros: [indices.count] + shape.dropFirst(), dtype: dtype)
        guard rowBytes > 0 else { return result }
        withUnsafeRawBuffer { src in
            result.withUnsafeMutableRawBuffer { dst in
                for (k, row) in indices.enumerated() {
                    (dst.baseAddress! + k * rowBytes).copyMemory(from: src.baseAddress! + row * rowBytes,
                                                                 byteCount: rowBytes)
                }
            }
        }
        return result
    }

    /// True when shapes match and every pair of elements is close, numpy's `allclose`:
    /// `|a - b| <= atol + rtol * |b|` (the test is asymmetric in `other`, as in numpy).
    ///
    /// Dtypes may differ (elements compare as Doubles). Equal infinities are close; NaNs are
    /// close to each other only when `equalNaN` is true.
    public func allClose(to other: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8,
                         equalNaN: Bool = false) -> Bool {
        guard shape == other.shape else { return false }
        for i in 0..<count {
            let a = double(at: i), b = other.double(at: i)
            if a.isNaN || b.isNaN {
                if equalNaN && a.isNaN && b.isNaN { continue }
                return false
            }
            if a == b { continue }
            if a.isInfinite || b.isInfinite || !(abs(a - b) <= atol + rtol * abs(b)) { return false }
        }
        return true
    }
}
