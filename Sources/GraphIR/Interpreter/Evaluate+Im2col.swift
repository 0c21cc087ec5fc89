import TensorRuntime

/// im2col(x): the convolution columns (G, C/G, kh, kw, N, H', W') of x (see `Im2colAttributes`).
func evaluateIm2col(_ node: Node, _ a: Im2colAttributes, _ x: Tensor) throws(GraphError) -> Tensor {
    let g = try ColumnsGeometry(node, a, image: x.shape)
    switch x.dtype {
    case .float32: return g.im2col(x.scalars(as: Float.self))
    case .float64: return g.im2col(x.scalars(as: Double.self))
    case .int32, .int64, .uint8, .bool: preconditionFailure("im2col on \(x.dtype) passed its type rule")
    }
}

/// col2im(cols): every column entry added back to the image position im2col read it from.
func evaluateCol2im(_ node: Node, _ a: Im2colAttributes, image dims: [Dim], _ cols: Tensor,
                    _ bindings: [DimSymbol: Int]) throws(GraphError) -> Tensor {
    var image = dims.map { $0.evaluate(bindings) }
    if cols.rank == 7 { (image[0], image[1]) = (image[0] ?? cols.shape[4], image[1] ?? cols.shape[0] * cols.shape[1]) }
    let shape = image.compactMap { $0 }
    guard shape.count == 4 else {
        throw node.evaluationError(.shape, "image extents \(dims) are not known at run time")
    }
    let g = try ColumnsGeometry(node, a, image: shape)
    guard cols.shape == g.columnsShape else {
        throw node.evaluationError(.shape, "columns have shape \(ShapeBinding.describe(cols.shape)) at run time, "
                                   + "expected \(ShapeBinding.describe(g.columnsShape))")
    }
    switch cols.dtype {
    case .float32: return g.col2im(cols.scalars(as: Float.self))
    case .float64: return g.col2im(cols.scalars(as: Double.self))
    case .int32, .int64, .uint8, .bool: preconditionFailure("col2im on \(cols.dtype) passed its type rule")
    }
}

/// The sizes of im2col / col2im at run time: a convolution's geometry with one filter per group.
struct ColumnsGeometry {
    let conv: ConvGeometry

    init(_ node: Node, _ a: Im2colAttributes, image: [Int]) throws(GraphError) {
        let groups = a.conv.groups
        guard image[1] % groups == 0 else {
            throw node.evaluationError(.shape, "input \(ShapeBinding.describe(image)): channels are not divisible "
                                       + "by \(groups) groups")
        }
        conv = try ConvGeometry(node, a.conv, image, [groups, image[1] / groups, a.kernelH, a.kernelW])
    }

    var columnsShape: [Int] { [conv.groups, conv.cg, conv.kh, conv.kw, conv.n, conv.ho, conv.wo] }

    func im2col<T: ConvScalar>(_ x: [T]) -> Tensor {
        var cols = [T](repeating: 0, count: columnsShape.reduce(1, *))
        forEachEntry { column, pixel in
            if let pixel { cols[column] = x[pixel] }
        }
        return try! Tensor(shape: columnsShape, scalars: cols)
    }

    func col2im<T: ConvScalar>(_ cols: [T]) -> Tensor {
        let g = conv
        var image = [T](repeating: 0, count: g.n * g.c * g.h * g.w)
        forEachEntry { column, pixel in
            if let pixel { image[pixel] += cols[column] }
        }
        return try! Tensor(shape: g.xShape, scalars: image)
    }

    /// Calls `body(columnIndex, imageIndex)` for every column entry in row-major order; the
    /// image index is nil where the entry reads the padding.
    private func forEachEntry(_ body: (Int, Int?) -> Void) {
        let g = conv
        var column = 0
        for group in 0..<g.groups {
            for channel in 0..<g.cg {
                for fa in 0..<g.kh {
                    for fb in 0..<g.kw {
                        let a = g.flip ? g.kh - 1 - fa : fa, b = g.flip ? g.kw - 1 - fb : fb
                        let plane = group * g.cg + channel
                        for image in 0..<g.n {
                            for i in 0..<g.ho {
                                let r = i * g.sh + a * g.dh - g.ph
                                for j in 0..<g.wo {
                                    let s = j * g.sw + b * g.dw - g.pw
                                    let inside = r >= 0 && r < g.h && s >= 0 && s < g.w
                                    body(column, inside ? ((image * g.c + plane) * g.h + r) * g.w + s : nil)
                                    column += 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
