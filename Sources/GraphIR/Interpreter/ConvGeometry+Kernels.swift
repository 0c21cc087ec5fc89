import TensorRuntime

extension ConvGeometry {
    /// y = conv2d(x, w): per image and group, y_g = W_g · im2col(x_g).
    func forward<T: ConvScalar>(_ x: [T], _ w: [T]) -> Tensor {
        guard isNonEmpty else { return tensor([T](), [n, o, ho, wo]) }
        let weights = flipped(w)
        var y = [T](repeating: 0, count: n * o * columns), cols = [T](repeating: 0, count: rows * columns)
        for image in 0..<n {
            for group in 0..<groups {
                im2col(x, image: image, group: group, into: &cols)
                product(weights, group * og * rows, cols, into: &y, at: (image * o + group * og) * columns)
            }
        }
        return tensor(y, [n, o, ho, wo])
    }

    /// dx: per image and group, col2im(W_gᵀ · gy_g).
    func gradInput<T: ConvScalar>(_ w: [T], _ gy: [T]) -> Tensor {
        guard isNonEmpty else { return tensor([T](), xShape) }
        let weights = flipped(w)
        var dx = [T](repeating: 0, count: n * c * h * self.w), cols = [T](repeating: 0, count: rows * columns)
        for image in 0..<n {
            for group in 0..<groups {
                weights.withUnsafeBufferPointer { pw in
                    gy.withUnsafeBufferPointer { pg in
                        cols.withUnsafeMutableBufferPointer { pc in
                            T.gemm(true, false, rows, columns, og, pw.baseAddress! + group * og * rows, rows,
                                   pg.baseAddress! + (image * o + group * og) * columns, columns, 0,
                                   pc.baseAddress!, columns)
                        }
                    }
                }
                col2im(cols, image: image, group: group, into: &dx)
            }
        }
        return tensor(dx, xShape)
    }

    /// dw: Σ over images of gy_g · im2col(x_g)ᵀ, flipped back like the filters.
    func gradFilters<T: ConvScalar>(_ x: [T], _ gy: [T]) -> Tensor {
        guard isNonEmpty else { return tensor([T](), wShape) }
        var dw = [T](repeating: 0, count: o * rows), cols = [T](repeating: 0, count: rows * columns)
        for image in 0..<n {
            for group in 0..<groups {
                im2col(x, image: image, group: group, into: &cols)
                gy.withUnsafeBufferPointer { pg in
                    cols.withUnsafeBufferPointer { pc in
                        dw.withUnsafeMutableBufferPointer { pd in
                            T.gemm(false, true, og, rows, columns, pg.baseAddress! + (image * o + group * og) * columns,
                                   columns, pc.baseAddress!, columns, 1, pd.baseAddress! + group * og * rows, rows)
                        }
                    }
                }
            }
        }
        return tensor(flipped(dw), wShape)
    }

    /// True when every product has non-empty operands (else results are all zeros).
    private var isNonEmpty: Bool { n > 0 && og > 0 && rows > 0 && columns > 0 }

    /// `out[at...] = W[from...] (og × rows) · cols (rows × columns)`.
    private func product<T: ConvScalar>(_ weights: [T], _ from: Int, _ cols: [T], into out: inout [T], at: Int) {
        guard og > 0, columns > 0 else { return }
        weights.withUnsafeBufferPointer { pw in
            cols.withUnsafeBufferPointer { pc in
                out.withUnsafeMutableBufferPointer { po in
                    T.gemm(false, false, og, columns, rows, pw.baseAddress! + from, rows, pc.baseAddress!, columns, 0,
                           po.baseAddress! + at, columns)
                }
            }
        }
    }

    /// The filters with both spatial axes reversed when `flip` (an involution), else as given.
    private func flipped<T: ConvScalar>(_ w: [T]) -> [T] {
        guard flip else { return w }
        var out = w
        for plane in 0..<(o * cg) {
            for a in 0..<kh {
                for b in 0..<kw { out[(plane * kh + a) * kw + b] = w[(plane * kh + kh - 1 - a) * kw + kw - 1 - b] }
            }
        }
        return out
    }

    /// cols[(c·kh + a)·kw + b][i·wo + j] = x[image, group·cg + c, i·sh + a·dh - ph, j·sw + b·dw - pw] (0 outside).
    private func im2col<T: ConvScalar>(_ x: [T], image: Int, group: Int, into cols: inout [T]) {
        forEachTap { row, channel, r, col, out in
            let source = ((image * c + group * cg + channel) * h + r) * w + col
            cols[row * columns + out] = r >= 0 && r < h && col >= 0 && col < w ? x[source] : 0
        }
    }

    /// The adjoint of im2col: adds every column entry back to the input position it came from.
    private func col2im<T: ConvScalar>(_ cols: [T], image: Int, group: Int, into dx: inout [T]) {
        forEachTap { row, channel, r, col, out in
            guard r >= 0, r < h, col >= 0, col < w else { return }
            dx[((image * c + group * cg + channel) * h + r) * w + col] += cols[row * columns + out]
        }
    }

    /// Calls `body(row, channel, inputRow, inputColumn, outputIndex)` for every filter tap and
    /// output position of one group (input coordinates may fall in the padding).
    private func forEachTap(_ body: (Int, Int, Int, Int, Int) -> Void) {
        for channel in 0..<cg {
            for a in 0..<kh {
                for b in 0..<kw {
                    let row = (channel * kh + a) * kw + b
                    for i in 0..<ho {
                        let r = i * sh + a * dh - ph
                        for j in 0..<wo { body(row, channel, r, j * sw + b * dw - pw, i * wo + j) }
                    }
                }
            }
        }
    }

    private func tensor<T: ConvScalar>(_ values: [T], _ shape: [Int]) -> Tensor {
        var t = Tensor(zeros: shape, dtype: T.dtype)
        guard !values.isEmpty else { return t }
        t.withUnsafeMutableBufferPointer(as: T.self) { p in
            for i in values.indices { p[i] = values[i] }
        }
        return t
    }
}
