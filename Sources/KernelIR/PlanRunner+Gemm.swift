import GraphIR
import TensorRuntime

extension PlanRun {
    /// `C = alpha * op(A) * op(B) + beta * C`, `batch` times with element strides, through
    /// BLAS sgemm/dgemm. Operands too small for the sizes throw instead of reading past them.
    mutating func runGemm(_ g: GemmStep) throws(GraphError) {
        let m = try size(g.m, of: "gemm m"), n = try size(g.n, of: "gemm n"), k = try size(g.k, of: "gemm k")
        let batch = try size(g.batch, of: "gemm batch")
        let strides = (a: try size(g.strideA, of: "gemm strideA"), b: try size(g.strideB, of: "gemm strideB"),
                       c: try size(g.strideC, of: "gemm strideC"))
        guard m >= 0, n >= 0, k >= 0, batch >= 0, strides.a >= 0, strides.b >= 0, strides.c >= 0 else {
            throw GraphError(.shape, op: "gemm", "negative size: m=\(m), n=\(n), k=\(k), batch=\(batch)")
        }
        guard batch > 0, m > 0, n > 0 else { return }
        let a = try operand(g.a, rows: m * k, stride: strides.a, batch: batch)
        let b = try operand(g.b, rows: k * n, stride: strides.b, batch: batch)
        let c = try operand(g.c, rows: m * n, stride: strides.c, batch: batch)
        let shape = GemmShape(m: m, n: n, k: k, transA: g.transA, transB: g.transB)
        switch runnerPlan.buffers[g.c.raw].dtype {
        case .float32:
            shape.run(batch: batch, strides: strides, alpha: Float(g.alpha), beta: Float(g.beta),
                      a.assumingMemoryBound(to: Float.self), b.assumingMemoryBound(to: Float.self),
                      c.assumingMemoryBound(to: Float.self), BLAS.sgemm)
        case .float64:
            shape.run(batch: batch, strides: strides, alpha: g.alpha, beta: g.beta,
                      a.assumingMemoryBound(to: Double.self), b.assumingMemoryBound(to: Double.self),
                      c.assumingMemoryBound(to: Double.self), BLAS.dgemm)
        case .int32, .int64, .uint8, .bool:
            preconditionFailure("gemm on \(runnerPlan.buffers[g.c.raw].dtype) (the plan verifier rejects this)")
        }
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

/// The sizes and leading dimensions of one row-major matrix product.
struct GemmShape: Sendable {
    let m: Int, n: Int, k: Int
    let transA: Bool, transB: Bool

    /// Runs `gemm` once per batch element; with k = 0 it scales C by beta (BLAS needs k ≥ 1
    /// for valid leading dimensions).
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
            gemm(transA, transB, m, n, k, alpha, a + i * strides.a, transA ? m : k, b + i * strides.b,
                 transB ? k : n, beta, ci, n)
        }
    }
}
