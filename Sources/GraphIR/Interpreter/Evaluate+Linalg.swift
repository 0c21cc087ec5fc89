import TensorRuntime

/// The sizes of one matrix product `(m, k) · (k, n)`.
private struct MatmulSize {
    var m: Int, k: Int, n: Int
}

/// numpy `dot` for ranks 1 and 2: a vector operand is a 1×k row (left) or k×1 column (right).
func evaluateDot(_ node: Node, _ a: Tensor, _ b: Tensor) throws(GraphError) -> Tensor {
    guard (1...2).contains(a.rank), (1...2).contains(b.rank) else {
        throw node.evaluationError(.shape, "dot takes operands of rank 1 or 2, got "
                                   + "\(ShapeBinding.describe(a.shape)) and \(ShapeBinding.describe(b.shape))")
    }
    let size = MatmulSize(m: a.rank == 2 ? a.shape[0] : 1, k: a.shape[a.rank - 1],
                          n: b.rank == 2 ? b.shape[1] : 1)
    guard b.shape[0] == size.k else {
        throw node.evaluationError(.shape, "inner dimensions differ at run time: "
                                   + "\(ShapeBinding.describe(a.shape)) · \(ShapeBinding.describe(b.shape))")
    }
    let shape = (a.rank == 2 ? [size.m] : []) + (b.rank == 2 ? [size.n] : [])
    return matmul(a, b, size, batch: 1, shape: shape, dtype: node.type.dtype)
}

/// (b, m, k) · (b, k, n) → (b, m, n).
func evaluateBatchedDot(_ node: Node, _ a: Tensor, _ b: Tensor) throws(GraphError) -> Tensor {
    guard a.rank == 3, b.rank == 3, a.shape[0] == b.shape[0], a.shape[2] == b.shape[1] else {
        throw node.evaluationError(.shape, "batchedDot needs (b,m,k) · (b,k,n), got "
                                   + "\(ShapeBinding.describe(a.shape)) · \(ShapeBinding.describe(b.shape)) at run time")
    }
    let size = MatmulSize(m: a.shape[1], k: a.shape[2], n: b.shape[2])
    return matmul(a, b, size, batch: a.shape[0], shape: [a.shape[0], size.m, size.n], dtype: node.type.dtype)
}

/// `batch` row-major products of contiguous matrices; floats through BLAS, the rest in Int64.
private func matmul(_ a: Tensor, _ b: Tensor, _ size: MatmulSize, batch: Int, shape: [Int],
                    dtype: DType) -> Tensor {
    precondition(a.dtype == b.dtype && a.dtype == dtype, "dot operands \(a.dtype), \(b.dtype) → \(dtype)")
    var out = Tensor(zeros: shape, dtype: dtype)
    guard out.count > 0, size.k > 0 else { return out }
    let (sa, sb, sc) = (size.m * size.k, size.k * size.n, size.m * size.n)
    switch dtype {
    case .float32:
        a.withUnsafeBufferPointer(as: Float.self) { pa in
            b.withUnsafeBufferPointer(as: Float.self) { pb in
                out.withUnsafeMutableBufferPointer(as: Float.self) { pc in
                    for t in 0..<batch {
                        floatMatmul(size, pa.baseAddress! + t * sa, pb.baseAddress! + t * sb, pc.baseAddress! + t * sc)
                    }
                }
            }
        }
    case .float64:
        a.withUnsafeBufferPointer(as: Double.self) { pa in
            b.withUnsafeBufferPointer(as: Double.self) { pb in
                out.withUnsafeMutableBufferPointer(as: Double.self) { pc in
                    for t in 0..<batch {
                        doubleMatmul(size, pa.baseAddress! + t * sa, pb.baseAddress! + t * sb, pc.baseAddress! + t * sc)
                    }
                }
            }
        }
    case .int32, .int64, .uint8, .bool:
        let (la, lb) = (a.int64Lane(), b.int64Lane())
        var c = [Int64](repeating: 0, count: batch * sc)
        for t in 0..<batch { integerMatmul(size, la, t * sa, lb, t * sb, &c, t * sc) }
        out = Tensor(int64Lane: c, shape: shape, dtype: dtype)
    }
    return out
}

/// One float32 product: a dot loop for 1×1, sgemv for a vector side, sgemm otherwise.
private func floatMatmul(_ s: MatmulSize, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                         _ c: UnsafeMutablePointer<Float>) {
    if s.m == 1, s.n == 1 {
        var acc: Double = 0
        for p in 0..<s.k { acc += Double(a[p]) * Double(b[p]) }
        c[0] = Float(acc)
    } else if s.n == 1 {
        BLAS.sgemv(transA: false, m: s.m, n: s.k, alpha: 1, a: a, lda: s.k, x: b, beta: 0, y: c)
    } else if s.m == 1 {
        BLAS.sgemv(transA: true, m: s.k, n: s.n, alpha: 1, a: b, lda: s.n, x: a, beta: 0, y: c)
    } else {
        BLAS.sgemm(transA: false, transB: false, m: s.m, n: s.n, k: s.k, alpha: 1, a: a, lda: s.k,
                   b: b, ldb: s.n, beta: 0, c: c, ldc: s.n)
    }
}

/// One float64 product (see `floatMatmul`).
private func doubleMatmul(_ s: MatmulSize, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                          _ c: UnsafeMutablePointer<Double>) {
    if s.m == 1, s.n == 1 {
        var acc: Double = 0
        for p in 0..<s.k { acc += a[p] * b[p] }
        c[0] = acc
    } else if s.n == 1 {
        BLAS.dgemv(transA: false, m: s.m, n: s.k, alpha: 1, a: a, lda: s.k, x: b, beta: 0, y: c)
    } else if s.m == 1 {
        BLAS.dgemv(transA: true, m: s.k, n: s.n, alpha: 1, a: b, lda: s.n, x: a, beta: 0, y: c)
    } else {
        BLAS.dgemm(transA: false, transB: false, m: s.m, n: s.n, k: s.k, alpha: 1, a: a, lda: s.k,
                   b: b, ldb: s.n, beta: 0, c: c, ldc: s.n)
    }
}

/// One wrapping Int64 product at the given offsets.
private func integerMatmul(_ s: MatmulSize, _ a: [Int64], _ oa: Int, _ b: [Int64], _ ob: Int,
                           _ c: inout [Int64], _ oc: Int) {
    for i in 0..<s.m {
        for j in 0..<s.n {
            var acc: Int64 = 0
            for p in 0..<s.k { acc = acc &+ a[oa + i * s.k + p] &* b[ob + p * s.n + j] }
            c[oc + i * s.n + j] = acc
        }
    }
}

/// `beta·c + alpha·op(a)·op(b)` through BLAS (operands x = [c, alpha, a, b, beta]).
func evaluateGemm(_ node: Node, _ transA: Bool, _ transB: Bool, _ x: [Tensor]) throws(GraphError) -> Tensor {
    let (c, a, b) = (x[0], x[2], x[3])
    let (m, k) = transA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let (k2, n) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
    guard k == k2, c.shape == [m, n] else {
        throw node.evaluationError(.shape, "gemm operands do not fit at run time: c \(ShapeBinding.describe(c.shape)), "
                                   + "a \(ShapeBinding.describe(a.shape))\(transA ? "ᵀ" : ""), "
                                   + "b \(ShapeBinding.describe(b.shape))\(transB ? "ᵀ" : "")")
    }
    let (alpha, beta) = (x[1].double(at: 0), x[4].double(at: 0))
    var out = Tensor(doubleLane: c.doubleLane(), shape: c.shape, dtype: c.dtype)   // a private copy
    guard m > 0, n > 0 else { return out }
    if k == 0 {   // BLAS may skip scaling when k is 0; the product is zero
        return Tensor(doubleLane: c.doubleLane().map { beta * $0 }, shape: c.shape, dtype: c.dtype)
    }
    let (lda, ldb) = (a.shape[1], b.shape[1])
    if c.dtype == .float32 {
        a.withUnsafeBufferPointer(as: Float.self) { pa in
            b.withUnsafeBufferPointer(as: Float.self) { pb in
                out.withUnsafeMutableBufferPointer(as: Float.self) { pc in
                    BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: Float(alpha),
                               a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                               beta: Float(beta), c: pc.baseAddress!, ldc: n)
                }
            }
        }
    } else {
        a.withUnsafeBufferPointer(as: Double.self) { pa in
            b.withUnsafeBufferPointer(as: Double.self) { pb in
                out.withUnsafeMutableBufferPointer(as: Double.self) { pc in
                    BLAS.dgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                               a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                               beta: beta, c: pc.baseAddress!, ldc: n)
                }
            }
        }
    }
    return out
}
