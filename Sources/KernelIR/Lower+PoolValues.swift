import GraphIR
import TensorRuntime

/// Pooling computed inline: the value at one point is an unrolled expression over window taps
/// (padding taps read a clamped position and are masked out), so a pooling fuses with the
/// values it reads and with its consumers.
extension GroupLowering {
    /// pool2d at an output point: the maximum over the window's real taps, or their sum divided
    /// by the window's divisor.
    mutating func pool2d(_ node: Node, _ a: Pool2DAttributes, _ index: EmitIndex) throws -> KExpr {
        let (windows, i, j) = poolWindows(node, a, input: node.inputs[0], output: node, index)
        return try windowValue(node.inputs[0], windows, i, j)
    }

    /// pool2dGradGrad at an output point: h at the window's first maximum of x (max), or the
    /// average of h (pool2d(h)).
    mutating func pool2dGradGrad(_ node: Node, _ a: Pool2DAttributes, _ index: EmitIndex) throws -> KExpr {
        let x = node.inputs[0], h = node.inputs[1]
        checkSame(h.type.shape, x.type.shape, node)
        let (windows, i, j) = poolWindows(node, a, input: x, output: node, index)
        guard a.mode == .max else { return try windowValue(h, windows, i, j) }
        let best = KExpr.op(.cast(.int64), [try firstMaximum(x, windows, i, j)])
        let width = Int64(windows.columns.size)
        let row = IndexMath.add(windows.rows.start(i), IndexMath.floorDiv(best, .intConstant(width)))
        let column = IndexMath.add(windows.columns.start(j), IndexMath.floorMod(best, .intConstant(width)))
        return try value(h, EmitIndex(shape: h.type.shape, axes: windows.lead + [row, column]))
    }

    /// pool2dGrad at a point of x: the sum over the windows containing it of gy where it is the
    /// window's first maximum (max), or of gy divided by the window's divisor (averages).
    mutating func pool2dGrad(_ node: Node, _ a: Pool2DAttributes, _ index: EmitIndex) throws -> KExpr {
        let x = node.inputs[0], gy = node.inputs[1], dtype = node.type.dtype
        let pooled = Self.pooledShape(x.type.shape, a)
        checkSame(gy.type.shape, pooled, node)
        checkPooledExtents(pooled, a, node)
        let axes = index.axes(&e), r = axes[axes.count - 2], c = axes[axes.count - 1]
        let windows = PoolWindows(a, input: x.type.shape, output: pooled, lead: Array(axes.dropLast(2)))
        var sum: KExpr?
        for kr in 0..<windows.rows.candidates {
            let (row, ta) = windows.rows.window(containing: r, candidate: kr, &e)
            for kc in 0..<windows.columns.candidates {
                let (column, tb) = windows.columns.window(containing: c, candidate: kc, &e)
                var valid = PoolTap.both(row.valid, column.valid)
                let g = try value(gy, EmitIndex(shape: gy.type.shape, axes: windows.lead + [row.index, column.index]))
                var term = g
                if a.mode == .max {
                    let best = try firstMaximum(x, windows, row.index, column.index)
                    let tap = IndexMath.add(IndexMath.mul(ta, .intConstant(Int64(windows.columns.size))), tb)
                    valid = PoolTap.both(valid, .op(.eq, [best, Self.tapNumber(tap, x.type.dtype)]))
                } else {
                    term = .op(.div, [g, windowDivisor(windows, row.index, column.index, dtype)])
                }
                if let valid { term = .op(.select, [valid, term, .constant(0, dtype)]) }
                sum = sum.map { .op(.add, [$0, term]) } ?? term
            }
        }
        return sum!
    }

    /// The window geometry of a pooling of `input` into `output`'s shape at `index` (a point of
    /// `output`), after checking the pooled extents; and the point's window (i, j).
    private mutating func poolWindows(_ node: Node, _ a: Pool2DAttributes, input: Node, output: Node,
                                      _ index: EmitIndex) -> (PoolWindows, KExpr, KExpr) {
        checkPooledExtents(output.type.shape, a, node)
        let axes = index.axes(&e)
        let windows = PoolWindows(a, input: input.type.shape, output: output.type.shape, lead: Array(axes.dropLast(2)))
        return (windows, axes[axes.count - 2], axes[axes.count - 1])
    }

    /// The maximum of x over window (i, j)'s real taps, or their average.
    private mutating func windowValue(_ x: Node, _ windows: PoolWindows, _ i: KExpr, _ j: KExpr) throws -> KExpr {
        let dtype = x.type.dtype, isMax = windows.mode == .max
        let masked = KExpr.constant(isMax ? -.infinity : 0, dtype)
        var result: KExpr?
        for tap in windows.taps(i, j, &e) {
            var v = try value(x, EmitIndex(shape: x.type.shape, axes: tap.point))
            if let valid = tap.valid { v = .op(.select, [valid, v, masked]) }
            result = result.map { .op(isMax ? .maximum : .add, [$0, v]) } ?? v
        }
        guard !isMax else { return result! }
        return .op(.div, [result!, windowDivisor(windows, i, j, dtype)])
    }

    /// The tap number (row-major, as a `tapType` value) of the first maximum of x over window
    /// (i, j)'s real taps; the first NaN wins (as the reference's first-maximum scan). Cached
    /// per window, so the positions of one window computed by an unrolled iteration share it.
    private mutating func firstMaximum(_ x: Node, _ windows: PoolWindows, _ i: KExpr, _ j: KExpr) throws -> KExpr {
        let key = windows.lead + [i, j] + windows.attributeKey
        if let cached = e.cached(x, key, tag: -1) { return cached }
        let dtype = x.type.dtype, tapType = Self.tapType(dtype)
        var best = KExpr.constant(-.infinity, dtype), bestTap = KExpr.constant(-1, tapType)
        var seen = false, found = false   // a tap before this one; one that is always real
        for (k, tap) in windows.taps(i, j, &e).enumerated() {
            let v = e.bind(try value(x, EmitIndex(shape: x.type.shape, axes: tap.point)), dtype)
            var take: KExpr?
            if seen {
                let firstNaN = KExpr.op(.logicalAnd, [.op(.neq, [v, v]), .op(.eq, [best, best])])
                take = .op(.logicalOr, [.op(.gt, [v, best]), firstNaN])
                if !found { take = .op(.logicalOr, [.op(.lt, [bestTap, .constant(0, tapType)]), take!]) }
            }
            take = PoolTap.both(tap.valid, take)
            seen = true
            found = found || tap.valid == nil
            guard let t = take else {
                (best, bestTap) = (v, .constant(Double(k), tapType))
                continue
            }
            let chosen = e.bind(t, .bool)
            best = e.bind(.op(.select, [chosen, v, best]), dtype)
            bestTap = e.bind(.op(.select, [chosen, .constant(Double(k), tapType), bestTap]), tapType)
        }
        e.cache(x, key, bestTap, tag: -1)
        return bestTap
    }

    /// The dtype a first-maximum scan over values of `dtype` carries its tap number in: the
    /// values' own float type (selects and compares of one lane width vectorize best; tap
    /// numbers ≤ 64 are exact), int32 for integer values.
    private static func tapType(_ dtype: DType) -> DType { dtype.isFloatingPoint ? dtype : .int32 }

    /// Tap number `tap` (an int64 index expression) as a value comparable with `firstMaximum`'s.
    private static func tapNumber(_ tap: KExpr, _ dtype: DType) -> KExpr {
        if case .intConstant(let k) = tap { return .constant(Double(k), tapType(dtype)) }
        return .op(.cast(tapType(dtype)), [tap])
    }

    /// The divisor of window (i, j) of an average, as a value of `dtype`.
    private mutating func windowDivisor(_ windows: PoolWindows, _ i: KExpr, _ j: KExpr, _ dtype: DType) -> KExpr {
        let including = windows.mode == .averageIncludingPadding
        let count = IndexMath.mul(windows.rows.divisor(i, includingPadding: including, &e),
                                  windows.columns.divisor(j, includingPadding: including, &e))
        if case .intConstant(let c) = count { return .constant(Double(c), dtype) }
        return .op(.cast(dtype), [count])
    }

    /// Checks at run time that the pooled extents are positive (the reference's "window larger
    /// than the padded input"); constant extents were checked by the type rule.
    private mutating func checkPooledExtents(_ pooled: [Dim], _ a: Pool2DAttributes, _ node: Node) {
        for m in pooled.suffix(2) where m.constantValue == nil {
            let message = "window (\(a.windowH), \(a.windowW)) is larger than the padded input at run time "
                + "(\(m) = {0} windows)"
            e.check(IndexMath.sub(e.dim(m), .intConstant(1)), bound: e.dim(m),
                    PlanErrorMessage(kind: .shape, op: node.op.name, message: message, sizes: [m],
                                     location: node.location))
        }
    }

    /// The shape of pool2d(x) for x of `shape`.
    static func pooledShape(_ shape: [Dim], _ a: Pool2DAttributes) -> [Dim] {
        let r = shape.count - 2
        return Array(shape.dropLast(2)) + [
            a.outputExtent(shape[r], window: a.windowH, stride: a.strideH, pad: a.padH),
            a.outputExtent(shape[r + 1], window: a.windowW, stride: a.strideW, pad: a.padW),
        ]
    }
}
