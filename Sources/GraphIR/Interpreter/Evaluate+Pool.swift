import TensorRuntime

/// pool2d over the last two axes, with plain loops in float64.
func evaluatePool2d(_ node: Node, _ a: Pool2DAttributes, _ x: Tensor) throws(GraphError) -> Tensor {
    let p = try PoolGeometry(node, a, x.shape)
    let xs = (0..<x.count).map { x.double(at: $0) }
    var out = [Double](repeating: 0, count: p.planes * p.ho * p.wo)
    p.forEachWindow { output, base, win in
        switch a.mode {
        case .max: out[output] = xs[base + p.firstMax(xs, base, win)]
        case .averageIncludingPadding, .averageExcludingPadding:
            var sum = 0.0
            win.forEach { sum += xs[base + $0] }
            out[output] = sum / Double(p.divisor(win, a.mode))
        }
    }
    return try! Tensor(shape: p.outShape, values: out, dtype: x.dtype)   // count matches outShape
}

/// The gradient of pool2d for x: gy to each window's first maximum, or spread over the
/// window's real positions divided by the average's divisor.
func evaluatePool2dGrad(_ node: Node, _ a: Pool2DAttributes, _ x: Tensor, _ gy: Tensor) throws(GraphError) -> Tensor {
    let p = try PoolGeometry(node, a, x.shape)
    guard gy.shape == p.outShape else {
        throw node.evaluationError(.shape, "cotangent has shape \(ShapeBinding.describe(gy.shape)) at run time, "
                                   + "expected \(ShapeBinding.describe(p.outShape))")
    }
    let xs = (0..<x.count).map { x.double(at: $0) }
    var dx = [Double](repeating: 0, count: x.count)
    p.forEachWindow { output, base, win in
        let g = gy.double(at: output)
        switch a.mode {
        case .max: dx[base + p.firstMax(xs, base, win)] += g
        case .averageIncludingPadding, .averageExcludingPadding:
            let share = g / Double(p.divisor(win, a.mode))
            win.forEach { dx[base + $0] += share }
        }
    }
    return try! Tensor(shape: x.shape, values: dx, dtype: x.dtype)   // count matches x.shape
}

/// h at the first maximum of x in each window (max), or pool2d(h) (averages).
func evaluatePool2dGradGrad(_ node: Node, _ a: Pool2DAttributes, _ x: Tensor, _ h: Tensor) throws(GraphError) -> Tensor {
    guard h.shape == x.shape else {
        throw node.evaluationError(.shape, "operands \(ShapeBinding.describe(x.shape)) and "
                                   + "\(ShapeBinding.describe(h.shape)) differ at run time")
    }
    guard a.mode == .max else { return try evaluatePool2d(node, a, h) }
    let p = try PoolGeometry(node, a, x.shape)
    let xs = (0..<x.count).map { x.double(at: $0) }
    var out = [Double](repeating: 0, count: p.planes * p.ho * p.wo)
    p.forEachWindow { output, base, win in out[output] = h.double(at: base + p.firstMax(xs, base, win)) }
    return try! Tensor(shape: p.outShape, values: out, dtype: x.dtype)   // count matches outShape
}

/// One pooling window: its real rows/columns (unpadded coordinates) and its size clipped to
/// the padded input.
struct PoolWindow {
    var rows: Range<Int>, columns: Range<Int>, paddedCount: Int, width: Int

    /// Calls `body` with the offset (within a plane) of every real position, row-major.
    func forEach(_ body: (Int) -> Void) {
        for r in rows { for c in columns { body(r * width + c) } }
    }
}

/// The sizes of one pooling at run time.
struct PoolGeometry {
    let planes: Int, h: Int, w: Int, ho: Int, wo: Int, outShape: [Int]
    let attrs: Pool2DAttributes

    init(_ node: Node, _ a: Pool2DAttributes, _ shape: [Int]) throws(GraphError) {
        attrs = a
        (h, w) = (shape[shape.count - 2], shape[shape.count - 1])
        planes = shape.dropLast(2).reduce(1, *)
        ho = a.outputExtent(.constant(h), window: a.windowH, stride: a.strideH, pad: a.padH).constantValue ?? 0
        wo = a.outputExtent(.constant(w), window: a.windowW, stride: a.strideW, pad: a.padW).constantValue ?? 0
        guard ho >= 1, wo >= 1 else {
            throw node.evaluationError(.shape, "window (\(a.windowH), \(a.windowW)) is larger than the padded "
                                       + "input \(ShapeBinding.describe(shape)) at run time")
        }
        outShape = Array(shape.dropLast(2)) + [ho, wo]
    }

    /// Window (i, j): padded rows [i·sh, min(i·sh + wh, H + 2ph)), real ones shifted by -ph.
    func window(_ i: Int, _ j: Int) -> PoolWindow {
        let a = attrs
        let (rs, cs) = (i * a.strideH, j * a.strideW)
        let (re, ce) = (min(rs + a.windowH, h + 2 * a.padH), min(cs + a.windowW, w + 2 * a.padW))
        let rows = (max(rs, a.padH) - a.padH)..<(min(re, h + a.padH) - a.padH)
        let columns = (max(cs, a.padW) - a.padW)..<(min(ce, w + a.padW) - a.padW)
        return PoolWindow(rows: rows, columns: columns, paddedCount: (re - rs) * (ce - cs), width: w)
    }

    /// Calls `body(outputIndex, planeBase, window)` for every window of every plane, in
    /// output order (`planeBase` is the plane's first element in the input).
    func forEachWindow(_ body: (Int, Int, PoolWindow) -> Void) {
        for plane in 0..<planes {
            for i in 0..<ho {
                for j in 0..<wo { body((plane * ho + i) * wo + j, plane * h * w, window(i, j)) }
            }
        }
    }

    /// The count an average divides by.
    func divisor(_ win: PoolWindow, _ mode: PoolMode) -> Int {
        mode == .averageIncludingPadding ? win.paddedCount : win.rows.count * win.columns.count
    }

    /// The in-plane offset of the window's first maximum (row-major; NaN wins).
    func firstMax(_ xs: [Double], _ base: Int, _ win: PoolWindow) -> Int {
        var best = -1
        win.forEach { k in
            if best < 0 || xs[base + k] > xs[base + best] || (xs[base + k].isNaN && !xs[base + best].isNaN) { best = k }
        }
        return best
    }
}
