import TensorRuntime

/// A float type with a BLAS matrix product (float32 → sgemm, float64 → dgemm).
protocol ConvScalar: TensorScalar, BinaryFloatingPoint {
    /// `C = op(A)·op(B) + beta·C`, row-major.
    static func gemm(_ tA: Bool, _ tB: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Self>, _ lda: Int,
                     _ b: UnsafePointer<Self>, _ ldb: Int, _ beta: Self, _ c: UnsafeMutablePointer<Self>, _ ldc: Int)
}

extension Float: ConvScalar {
    static func gemm(_ tA: Bool, _ tB: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ lda: Int,
                     _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        BLAS.sgemm(transA: tA, transB: tB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb,
                   beta: beta, c: c, ldc: ldc)
    }
}

extension Double: ConvScalar {
    static func gemm(_ tA: Bool, _ tB: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Double>, _ lda: Int,
                     _ b: UnsafePointer<Double>, _ ldb: Int, _ beta: Double, _ c: UnsafeMutablePointer<Double>,
                     _ ldc: Int) {
        BLAS.dgemm(transA: tA, transB: tB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb,
                   beta: beta, c: c, ldc: ldc)
    }
}

/// conv2d(x, w) by im2col and one matrix product per image and group.
func evaluateConv2d(_ node: Node, _ a: Conv2DAttributes, _ x: Tensor, _ w: Tensor) throws(GraphError) -> Tensor {
    let g = try ConvGeometry(node, a, x.shape, w.shape)
    switch x.dtype {
    case .float32: return g.forward(x.scalars(as: Float.self), w.scalars(as: Float.self))
    case .float64: return g.forward(x.scalars(as: Double.self), w.scalars(as: Double.self))
    case .int32, .int64, .uint8, .bool: preconditionFailure("conv2d on \(x.dtype) passed its type rule")
    }
}

/// The gradient of conv2d for x (x is read only for its shape).
func evaluateConv2dGradInput(_ node: Node, _ a: Conv2DAttributes, _ x: Tensor, _ w: Tensor,
                             _ gy: Tensor) throws(GraphError) -> Tensor {
    let g = try ConvGeometry(node, a, x.shape, w.shape)
    try g.checkCotangent(node, gy.shape)
    switch x.dtype {
    case .float32: return g.gradInput(w.scalars(as: Float.self), gy.scalars(as: Float.self))
    case .float64: return g.gradInput(w.scalars(as: Double.self), gy.scalars(as: Double.self))
    case .int32, .int64, .uint8, .bool: preconditionFailure("conv2dGradInput on \(x.dtype) passed its type rule")
    }
}

/// The gradient of conv2d for the filters (w is read only for its shape).
func evaluateConv2dGradFilters(_ node: Node, _ a: Conv2DAttributes, _ x: Tensor, _ w: Tensor,
                               _ gy: Tensor) throws(GraphError) -> Tensor {
    let g = try ConvGeometry(node, a, x.shape, w.shape)
    try g.checkCotangent(node, gy.shape)
    switch x.dtype {
    case .float32: return g.gradFilters(x.scalars(as: Float.self), gy.scalars(as: Float.self))
    case .float64: return g.gradFilters(x.scalars(as: Double.self), gy.scalars(as: Double.self))
    case .int32, .int64, .uint8, .bool: preconditionFailure("conv2dGradFilters on \(x.dtype) passed its type rule")
    }
}

/// The sizes of one convolution at run time.
struct ConvGeometry {
    var n = 0, c = 0, h = 0, w = 0, o = 0, kh = 0, kw = 0, ph = 0, pw = 0
    var sh = 1, sw = 1, dh = 1, dw = 1, groups = 1, ho = 0, wo = 0, flip = true
    /// Channels per group (input) and output channels per group.
    var cg: Int { c / groups }
    var og: Int { o / groups }
    /// Rows of the im2col matrix (cg·kh·kw) and its columns (ho·wo).
    var rows: Int { cg * kh * kw }
    var columns: Int { ho * wo }
    var xShape: [Int] { [n, c, h, w] }
    var wShape: [Int] { [o, cg, kh, kw] }

    init(_ node: Node, _ a: Conv2DAttributes, _ xs: [Int], _ ws: [Int]) throws(GraphError) {
        (n, c, h, w) = (xs[0], xs[1], xs[2], xs[3])
        (o, kh, kw) = (ws[0], ws[2], ws[3])
        (sh, sw, dh, dw, groups, flip) = (a.strideH, a.strideW, a.dilationH, a.dilationW, a.groups, a.filterFlip)
        let (padH, padW) = a.padding(kh: .constant(kh), kw: .constant(kw))
        (ph, pw) = (padH.constantValue ?? 0, padW.constantValue ?? 0)
        let spanH = (kh - 1) * dh + 1, spanW = (kw - 1) * dw + 1
        guard c == ws[1] * groups, o % groups == 0, h + 2 * ph >= spanH, w + 2 * pw >= spanW else {
            throw node.evaluationError(.shape, "input \(ShapeBinding.describe(xs)) and filters "
                                       + "\(ShapeBinding.describe(ws)) do not fit at run time (groups \(groups), "
                                       + "padding (\(ph), \(pw)))")
        }
        ho = (h + 2 * ph - spanH) / sh + 1
        wo = (w + 2 * pw - spanW) / sw + 1
    }

    func checkCotangent(_ node: Node, _ shape: [Int]) throws(GraphError) {
        guard shape == [n, o, ho, wo] else {
            throw node.evaluationError(.shape, "cotangent has shape \(ShapeBinding.describe(shape)) at run time, "
                                       + "expected \(ShapeBinding.describe([n, o, ho, wo]))")
        }
    }
}
