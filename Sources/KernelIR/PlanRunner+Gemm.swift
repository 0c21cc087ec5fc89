import GraphIR
import TensorRuntime

extension PlanRun {
    /// `C = alpha * op(A) * op(B) + beta * C`, `batch` times with element strides, through
    /// BLAS sgemm/dgemm. Operands too small for the sizes throw instead of reading past them.
    mutating func runGemm(_ g: GemmStep) throws(GraphError) {
        try resolveGemm(g)?.run()
    }

    /// The product with its sizes evaluated and operands checked, to run later; nil when it
    /// does nothing (an empty result).
    mutating func resolveGemm(_ g: GemmStep) throws(GraphError) -> ResolvedGemm? {
        let m = try size(g.m, of: "gemm m"), n = try size(g.n, of: "gemm n"), k = try size(g.k, of: "gemm k")
        let batch = try size(g.batch, of: "gemm batch")
        let strides = (a: try size(g.strideA, of: "gemm strideA"), b: try size(g.strideB, of: "gemm strideB"),
                       c: try size(g.strideC, of: "gemm strideC"))
        guard m >= 0, n >= 0, k >= 0, batch >= 0, strides.a >= 0, strides.b >= 0, strides.c >= 0 else {
            throw GraphError(.shape, op: "gemm", "negative size: m=\(m), n=\(n), k=\(k), batch=\(batch)")
        }
        guard batch > 0, m > 0, n > 0 else { return nil }
        let a = try operand(g.a, rows: m * k, stride: strides.a, batch: batch)
        let b = try operand(g.b, rows: k * n, stride: strides.b, batch: batch)
        let c = try operand(g.c, rows: m * n, stride: strides.c, batch: batch)
        return ResolvedGemm(shape: GemmShape(m: m, n: n, k: k, transA: g.transA, transB: g.transB), batch: batch,
                            strides: strides, alpha: g.alpha, beta: g.beta, dtype: runnerPlan.buffers[g.c.raw].dtype,
                            a: a, b: b, c: c)
    }

    private var runnerPlan: Plan { runner.plan }

    /// The base address of a gemm operand holding `batch` matrices of `rows` elements `stride` apart.
    private mutating func operand(_ id: BufferID, rows: Int, stride: Int, batch: Int) throws(GraphError)
        -> UnsafeMutableRawPointer {
        let pointer = try storage(id.raw).pointer
        let available = try shape(id.raw).reduce(1, *)
        let needed = rows == 0 ? 0 : (batch - 1) * stride + rows
        guard needed <= available else {
            throw GraphError(.shape, op: "gemm", "operand \(id) has \(available) elements, the product needs \(needed)")
        }
        return pointer
    }
}

/// A matrix product with its sizes evaluated and its operands' addresses (valid while the
/// `PlanRun` that resolved it lives).
struct ResolvedGemm {
    let shape: GemmShape
    let batch: Int
    let strides: (a: Int, b: Int, c: Int)
    let alpha: Double, beta: Double
    let dtype: DType
    let a: UnsafeMutableRawPointer, b: UnsafeMutableRawPointer, c: UnsafeMutableRawPointer

    /// Runs the product through BLAS (cannot fail).
    func run() {
        switch dtype {
        case .float32:
            shape.run(batch: batch, strides: strides, alpha: Float(alpha), beta: Float(beta),
                      a.assumingMemoryBound(to: Float.self), b.assumingMemoryBound(to: Float.self),
                      c.assumingMemoryBound(to: Float.self), BLAS.sgemm)
        case .float64:
            shape.run(batch: batch, strides: strides, alpha: alpha, beta: beta,
                      a.assumingMemoryBound(to: Double.self), b.assumingMemoryBound(to: Double.self),
                      c.assumingMemoryBound(to: Double.self), BLAS.dgemm)
        case .int32, .int64, .uint8, .bool:
            preconditionFailure("gemm on \(dtype) (the plan verifier rejects this)")
        }
    }
}

/// The sizes and leading dimensions of one row-major matrix product.
struct GemmShape: Sendable {
    let m: Int, n: Int, k: Int
    let transA: Bool, transB: Bool

    /// Runs `gemm` once per batch element (thin products in blocks, see `GemmBlocking`); with
    /// k = 0 it scales C by beta (BLAS needs k ≥ 1 for valid leading dimensions).
    func run<T: BinaryFloatingPoint>(
        batch: Int, strides: (a: Int, b: Int, c: Int), alpha: T, beta: T,
        _ a: UnsafeMutablePointer<T>, _ b: UnsafeMutablePointer<T>, _ c: UnsafeMutablePointer<T>,
        _ gemm: (Bool, Bool, Int, Int, Int, T, UnsafePointer<T>, Int, UnsafePointer<T>, Int, T,
                 UnsafeMutablePointer<T>, Int) -> Void
    ) {
        for i in 0..<batch {
            let ci = c + i * strides.c
            if k == 0 {
                for j in 0..<(m * n) { ci[j] = beta == 0 ? 0 : beta * ci[j] }
                continue
            }
            runBlocked(alpha: alpha, beta: beta, a + i * strides.a, b + i * strides.b, ci, gemm)
        }
    }
}
