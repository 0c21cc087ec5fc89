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
        let v = try value(x, EmitIndex(shape: shape, axes: [p[4], channel, row.index, column.index]))
        return Self.selected(v, [row.inside, column.inside].compactMap { $0 }, node.type.dtype)
    }

    /// col2im at image point [n, c, y, x]: the sum over the filter taps of the column entries
    /// read from (y, x), each selected when the output position it belongs to exists (in
    /// range and, with a stride, on the stride's grid) and read at that position clamped.
    mutating func col2im(_ node: Node, _ a: Im2colAttributes, _ index: EmitIndex) throws -> KExpr {
        let cols = node.inputs[0], p = index.axes(&e), shape = cols.type.shape
        checkFits(node.type.shape, a, node)
        let perGroup = e.dim(shape[1])
        let group = a.conv.groups == 1 ? KExpr.intConstant(0) : e.bind(IndexMath.floorDiv(p[1], perGroup), .int64)
        let channel = a.conv.groups == 1 ? p[1] : e.bind(IndexMath.floorMod(p[1], perGroup), .int64)
        let (ph, pw) = a.padding
        var sum: KExpr?
        for fa in 0..<a.kernelH {
            let i = outputPosition(p[2], tap: a.tapRow(fa), a.conv.strideH, a.conv.dilationH, pad: ph, extent: shape[5])
            for fb in 0..<a.kernelW {
                let j = outputPosition(p[3], tap: a.tapColumn(fb), a.conv.strideW, a.conv.dilationW, pad: pw,
                                       extent: shape[6])
                let axes = [group, channel, .intConstant(Int64(fa)), .intConstant(Int64(fb)), p[0], i.index, j.index]
                let v = try value(cols, EmitIndex(shape: shape, axes: axes))
                let term = Self.selected(v, [i.inside, j.inside], node.type.dtype)
                sum = sum.map { .op(.add, [$0, term]) } ?? term
            }
        }
        return sum ?? .constant(0, node.type.dtype)
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

    /// The output position whose tap reads input position `pos`: `(pos + pad - tap·dilation) /
    /// stride`, clamped into `[0, extent)`, with the test that it exists.
    private mutating func outputPosition(_ pos: KExpr, tap: Int, _ stride: Int, _ dilation: Int, pad: Dim,
                                         extent: Dim) -> (index: KExpr, inside: KExpr) {
        let offset = e.bind(IndexMath.sub(IndexMath.add(pos, e.dim(pad)), .intConstant(Int64(tap * dilation))), .int64)
        guard stride != 1 else { return clamped(offset, below: e.dim(extent)) }
        let s = KExpr.intConstant(Int64(stride))
        let quotient = e.bind(IndexMath.floorDiv(offset, s), .int64)
        let (index, inRange) = clamped(quotient, below: e.dim(extent))
        let onGrid = KExpr.op(.eq, [IndexMath.floorMod(offset, s), .intConstant(0)])
        let nonNegative = KExpr.op(.ge, [offset, .intConstant(0)])
        return (index, e.bind(.op(.logicalAnd, [.op(.logicalAnd, [nonNegative, onGrid]), inRange]), .bool))
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
