import TensorRuntime

/// Row-major element strides of a shape (the last axis has stride 1).
func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var step = 1
    for axis in shape.indices.reversed() {
        strides[axis] = step
        step *= shape[axis]
    }
    return strides
}

/// A strided view of a flat element buffer: element `(i0, i1, ...)` of the view is at
/// `offset + Σ i_k * strides[k]`. Strides may be 0 (broadcast) or negative (reversed slices).
struct StridedView {
    var offset: Int
    var shape: [Int]
    var strides: [Int]

    /// The contiguous row-major view of `shape`.
    init(contiguous shape: [Int]) {
        offset = 0
        self.shape = shape
        strides = rowMajorStrides(shape)
    }

    /// A view with explicit offset and strides (one per axis).
    init(offset: Int, shape: [Int], strides: [Int]) {
        precondition(shape.count == strides.count, "view rank mismatch")
        self.offset = offset
        self.shape = shape
        self.strides = strides
    }

    /// Number of elements in the view.
    var count: Int { shape.reduce(1, *) }

    /// Calls `body(i, offset)` for each view element in row-major order: `i` counts elements
    /// of the view, `offset` is the element's position in the underlying buffer.
    func forEachOffset(_ body: (Int, Int) -> Void) {
        guard count > 0 else { return }
        let rank = shape.count
        guard rank > 0 else { return body(0, offset) }
        let inner = shape[rank - 1], innerStride = strides[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var base = offset, flat = 0
        while true {
            var o = base
            for _ in 0..<inner {
                body(flat, o)
                flat += 1
                o += innerStride
            }
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                base += strides[axis]
                if index[axis] < shape[axis] { break }
                base -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
            if axis < 0 { return }
        }
    }

    /// All buffer offsets of the view, in row-major order.
    var offsets: [Int] {
        var result = [Int](repeating: 0, count: count)
        forEachOffset { i, o in result[i] = o }
        return result
    }
}

extension Tensor {
    /// A new contiguous tensor holding the elements of `view` over this tensor's buffer.
    func gathered(_ view: StridedView) -> Tensor {
        var out = Tensor(zeros: view.shape, dtype: dtype)
        switch dtype.byteSize {
        case 1: gather(view, into: &out, as: UInt8.self)
        case 4: gather(view, into: &out, as: UInt32.self)
        case 8: gather(view, into: &out, as: UInt64.self)
        default: preconditionFailure("unexpected element size \(dtype.byteSize)")
        }
        return out
    }

    /// Copies elements bit for bit, `T` being an integer type of the element size.
    private func gather<T>(_ view: StridedView, into out: inout Tensor, as type: T.Type) {
        withUnsafeRawBuffer { src in
            out.withUnsafeMutableRawBuffer { dst in
                let size = MemoryLayout<T>.stride
                view.forEachOffset { i, o in
                    dst.storeBytes(of: src.load(fromByteOffset: o * size, as: T.self),
                                   toByteOffset: i * size, as: T.self)
                }
            }
        }
    }
}
