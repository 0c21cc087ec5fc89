import GraphIR
import TensorRuntime

extension GroupLowering {
    /// im2col at point [g, c, fa, fb, n, i, j]: x at the input position of the tap, zero in the
    /// padding (the position is clamped into the image and the value selected). Without
    /// padding along an axis every position is inside, so it gets no test.
    mutating func im2col(_ node: Node, _ a: Im2colAttributes, _ index: EmitIndex) throws -> KExpr {
        let x = node.inputs[0], p = index.axes(&e), shape = x.type.shape
        checkFits(shape, a, node)
        if a.conv.groups > 1, shape[1].constantValue == nil {
            let message = "{0} input channels are not divisible by \(a.conv.groups) groups"
            e.check(IndexMath.floorMod(e.dim(shape[1]), .intConstant(Int64(a.conv.groups))), bound: .intConstant(1),
                    PlanErrorMessage(kind: .shape, op: "conv2d", message: message, sizes: [shape[1]],
                                     location: node.location))
        }
        let channel = IndexMath.add(IndexMath.mul(p[0], e.dim(node.type.shape[1])), p[1])
        let flip = a.conv.filterFlip
        let tapRow = flip ? IndexMath.sub(.intConstant(Int64(a.kernelH - 1)), p[2]) : p[2]
        let tapColumn = flip ? IndexMath.sub(.intConstant(Int64(a.kernelW - 1)), p[3]) : p[3]
        let (ph, pw) = a.padding
        let row = inputPosition(p[5], tap: tapRow, a.conv.strideH, a.conv.dilationH, pad: ph, extent: shape[2])
        let column = inputPosition(p[6], tap: tapColumn, a.conv.strideW, a.conv.dilationW, pad: pw, extent: shape[3])
        for (extent, pad) in [(shape[2], ph), (shape[3], pw)] where pad.constantValue != 0 && extent.constantValue == nil {
            let message = "an input extent of {0} with padding (the padded positions read no element)"
            e.check(IndexMath.sub(e.dim(extent), .intConstant(1)), bound: e.dim(extent),
                    PlanErrorMessage(kind: .shape, op: "conv2d", message: message, sizes: [extent],
                                     location: node.location))
        }
        let v = try value(x, EmitIndex(shape: shape, axes: [p[4], channel, row.index, column.index]))
        return Self.selected(v, [row.inside, column.inside].compactMap { $0 }, node.type.dtype)
    }

    /// The kernel of col2im, written in parts: per channel (parallel) and image, the image
    /// plane is zeroed, then each filter tap adds its column entries to the positions they
    /// were read from, over the output positions whose input position is inside the image
    /// (loop bounds, so no tests; the inner loop runs along a contiguous column row).
    mutating func col2imParts(_ node: Node, _ a: Im2colAttributes) throws {
        countUses(group.inline)
        let image = node.type.shape, cols = node.inputs[0], shape = cols.type.shape
        checkFits(image, a, node)
        let (channel, _) = e.openLoop()
        let (n, _) = e.openLoop()
        let perGroup = e.dim(shape[1]), ch = KExpr.value(channel)
        let group = a.conv.groups == 1 ? KExpr.intConstant(0) : e.bind(IndexMath.floorDiv(ch, perGroup), .int64)
        let c = a.conv.groups == 1 ? ch : e.bind(IndexMath.floorMod(ch, perGroup), .int64)
        let planeAxes = [KExpr.value(n), ch]
        try planeLoops(lower: (.intConstant(0), .intConstant(0)), upper: (e.dim(image[2]), e.dim(image[3]))) {
            me, y, x in me.addAt(node, EmitIndex(shape: image, axes: planeAxes + [y, x]), nil)
        }
        let (ph, pw) = a.padding
        for fa in 0..<a.kernelH {
            let rows = tapRange(a.tapRow(fa), a.conv.strideH, a.conv.dilationH, pad: ph, extent: image[2], out: shape[5])
            for fb in 0..<a.kernelW {
                let columns = tapRange(a.tapColumn(fb), a.conv.strideW, a.conv.dilationW, pad: pw, extent: image[3],
                                       out: shape[6])
                try planeLoops(lower: (rows.lower, columns.lower), upper: (rows.upper, columns.upper)) { me, i, j in
                    let entry = [group, c, .intConstant(Int64(fa)), .intConstant(Int64(fb)), .value(n), i, j]
                    let v = try me.value(cols, EmitIndex(shape: shape, axes: entry))
                    let target = planeAxes + [rows.position(i), columns.position(j)]
                    me.addAt(node, EmitIndex(shape: image, axes: target), v)
                }
            }
        }
        e.closeLoop(upper: e.dim(image[0]))
        let count = Dim.product(of: image)
        e.closeLoop(upper: e.dim(image[1]), parallel: Self.worthParallel(extent: image[1], work: count))
    }

    /// Two nested loops over `[lower, upper)` (the inner one vectorized); `body` gets the indices.
    private mutating func planeLoops(lower: (KExpr, KExpr), upper: (KExpr, KExpr),
                                     _ body: (inout GroupLowering, KExpr, KExpr) throws -> Void) throws {
        let (i, _) = e.openLoop()
        let (j, _) = e.openLoop()
        try body(&self, .value(i), .value(j))
        e.closeLoop(lower: lower.1, upper: upper.1, vectorize: true)
        e.closeLoop(lower: lower.0, upper: upper.0)
    }

    /// Stores `v` plus the stored element at `index` of `node`'s buffer (zero when `v` is nil).
    private mutating func addAt(_ node: Node, _ index: EmitIndex, _ v: KExpr?) {
        let flat = index.flat(&e)
        let slot = e.slot(for: node, access: .write)
        let value = v.map { KExpr.op(.add, [.load(buffer: e.slot(for: node, access: .read), index: flat), $0]) }
        e.emit(.store(buffer: slot, index: flat, value: value ?? .constant(0, node.type.dtype)))
    }

    /// The output positions `i` in `[0, out)` whose input position `i·stride + tap·dilation -
    /// pad` lies in `[0, extent)`, as loop bounds, and that position.
    private mutating func tapRange(_ tap: Int, _ stride: Int, _ dilation: Int, pad: Dim, extent: Dim,
                                   out: Dim) -> TapRange {
        let shift = IndexMath.sub(.intConstant(Int64(tap * dilation)), e.dim(pad))   // position of i = 0
        let s = KExpr.intConstant(Int64(stride))
        // i ≥ ceil(-shift / stride) and i ≤ floor((extent - 1 - shift) / stride)
        let first = IndexMath.floorDiv(IndexMath.add(IndexMath.sub(.intConstant(0), shift), .intConstant(Int64(stride - 1))), s)
        let last = IndexMath.floorDiv(IndexMath.sub(IndexMath.sub(e.dim(extent), .intConstant(1)), shift), s)
        let lower = Self.maxIndex(first, .intConstant(0))
        let upper = Self.minIndex(IndexMath.add(last, .intConstant(1)), e.dim(out))
        return TapRange(lower: lower, upper: upper, shift: shift, stride: Int64(stride))
    }

    private static func maxIndex(_ a: KExpr, _ b: KExpr) -> KExpr {
        if case .intConstant(let x) = a, case .intConstant(let y) = b { return .intConstant(max(x, y)) }
        return .index(.max, a, b)
    }

    private static func minIndex(_ a: KExpr, _ b: KExpr) -> KExpr {
        if case .intConstant(let x) = a, case .intConstant(let y) = b { return .intConstant(min(x, y)) }
        return .index(.min, a, b)
    }

    /// Checks at run time that the (dilated) filter fits the padded image (H + 2·ph ≥ span),
    /// as the reference interpreter does (a negative output extent would read nothing).
    private mutating func checkFits(_ image: [Dim], _ a: Im2colAttributes, _ node: Node) {
        let (ph, pw) = a.padding
        for (extent, pad, span) in [(image[2], ph, (a.kernelH - 1) * a.conv.dilationH + 1),
                                    (image[3], pw, (a.kernelW - 1) * a.conv.dilationW + 1)] {
            let padded = extent + pad + pad
            guard padded.constantValue == nil else { continue }   // the type rule checked it
            let message = "the filter spans \(span) but the padded input is {0}"
            e.check(IndexMath.sub(e.dim(padded), .intConstant(Int64(span))), bound: e.dim(padded),
                    PlanErrorMessage(kind: .shape, op: "conv2d", message: message, sizes: [padded],
                                     location: node.location))
        }
    }

    /// The input position `out·stride + tap·dilation - pad` an output position reads, clamped
    /// into `[0, extent)` with its inside test when there is padding (without, it is inside).
    private mutating func inputPosition(_ out: KExpr, tap: KExpr, _ stride: Int, _ dilation: Int, pad: Dim,
                                        extent: Dim) -> (index: KExpr, inside: KExpr?) {
        let offset = IndexMath.add(IndexMath.mul(out, .intConstant(Int64(stride))),
                                   IndexMath.mul(tap, .intConstant(Int64(dilation))))
        if pad.constantValue == 0 { return (offset, nil) }
        let position = e.bind(IndexMath.sub(offset, e.dim(pad)), .int64)
        let (index, inside) = clamped(position, below: e.dim(extent))
        return (index, inside)
    }

    /// `v` clamped into `[0, n)` and the test `0 <= v < n`, both let-bound.
    private mutating func clamped(_ v: KExpr, below n: KExpr) -> (index: KExpr, inside: KExpr) {
        let index = e.bind(.index(.min, .index(.max, v, .intConstant(0)), IndexMath.sub(n, .intConstant(1))), .int64)
        let test = KExpr.op(.logicalAnd, [.op(.ge, [v, .intConstant(0)]), .op(.lt, [v, n])])
        return (index, e.bind(test, .bool))
    }

    /// `v` where every test holds, else zero.
    private static func selected(_ v: KExpr, _ tests: [KExpr], _ dtype: DType) -> KExpr {
        guard let first = tests.first else { return v }
        let all = tests.dropFirst().reduce(first) { .op(.logicalAnd, [$0, $1]) }
        return .op(.select, [all, v, .constant(0, dtype)])
    }
}

/// The loop bounds of one filter tap along one axis and the input position of output index i.
struct TapRange {
    let lower: KExpr, upper: KExpr
    let shift: KExpr, stride: Int64

    /// `i·stride + shift`.
    func position(_ i: KExpr) -> KExpr {
        IndexMath.add(IndexMath.mul(i, .intConstant(stride)), shift)
    }
}
