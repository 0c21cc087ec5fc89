/// Thin matrix products split into blocks that OpenBLAS runs faster.
///
/// OpenBLAS (0.3.x, sgemm and dgemm on AVX-512) runs thin products far below its peak when
/// run whole: the first convolution of a LeNet step (20 filters of 1×5×5 over 64 images of
/// 28×28) gives `m=20 n=36864 k=25` at about 0.95 ms and its filter gradient `m=25 n=20
/// k=36864` at about 1.0 ms, but the same products cut into blocks of a few hundred columns
/// (respectively of about a thousand terms of K, accumulated with beta = 1) take 0.47 ms and
/// 0.43 ms (measured on Zen 4, one thread; blocks whose m·n·k stay below about 10⁶ go through
/// the library's small-matrix kernels, and their operands stay in cache). The rule, on the
/// evaluated sizes of one product:
///
/// - short K (k ≤ 64) with a small left operand (m·k ≤ 4096) and a long N: blocks of N with
///   m·n·k ≤ 2·10⁵ (at least 64 columns, a multiple of 16). Each block is a whole product,
///   so the result is bitwise the same.
/// - a small result (m·n ≤ 4096) with a long K: blocks of K with m·n·k ≤ 6·10⁵, the blocks
///   after the first accumulated with beta = 1 (float sums in another order).
///
/// Products outside both cases (every product of W3's second convolution and dense layers)
/// run as one call, as before.
struct GemmBlocking: Equatable, Sendable {
    /// The dimension split into blocks.
    enum Axis: Equatable, Sendable { case none, n, k }

    let axis: Axis
    /// The block size along `axis` (the last block may be shorter).
    let block: Int

    /// Products with m·n·k at most this run whole.
    static let smallProduct = 1_000_000
    static let maxShortK = 64, maxThinOperand = 4096
    static let nBlockWork = 200_000, kBlockWork = 600_000

    /// The blocking the rule above chooses for `shape`.
    init(_ shape: GemmShape) {
        let (m, n, k) = (shape.m, shape.n, shape.k)
        let work = m.multipliedReportingOverflow(by: n).partialValue.multipliedReportingOverflow(by: k)
        guard !work.overflow, work.partialValue > Self.smallProduct, m > 0, n > 0, k > 0 else {
            (axis, block) = (.none, 0)
            return
        }
        if k <= Self.maxShortK, m * k <= Self.maxThinOperand {
            let columns = max(64, Self.nBlockWork / (m * k) / 16 * 16)
            (axis, block) = columns < n ? (.n, columns) : (.none, 0)
        } else if m * n <= Self.maxThinOperand {
            let terms = max(64, Self.kBlockWork / (m * n))
            (axis, block) = terms < k ? (.k, terms) : (.none, 0)
        } else {
            (axis, block) = (.none, 0)
        }
    }
}

extension GemmShape {
    /// One product `C = alpha·op(A)·op(B) + beta·C` (k ≥ 1), in the blocks `GemmBlocking`
    /// chooses; leading dimensions are those of the whole matrices.
    func runBlocked<T: BinaryFloatingPoint>(
        alpha: T, beta: T, _ a: UnsafeMutablePointer<T>, _ b: UnsafeMutablePointer<T>, _ c: UnsafeMutablePointer<T>,
        _ gemm: (Bool, Bool, Int, Int, Int, T, UnsafePointer<T>, Int, UnsafePointer<T>, Int, T,
                 UnsafeMutablePointer<T>, Int) -> Void
    ) {
        let (lda, ldb) = (transA ? m : k, transB ? k : n)
        let blocking = GemmBlocking(self)
        switch blocking.axis {
        case .none:
            gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, n)
        case .n:
            for j in stride(from: 0, to: n, by: blocking.block) {
                let width = min(blocking.block, n - j)
                gemm(transA, transB, m, width, k, alpha, a, lda, b + (transB ? j * k : j), ldb, beta, c + j, n)
            }
        case .k:
            for p in stride(from: 0, to: k, by: blocking.block) {
                let depth = min(blocking.block, k - p)
                gemm(transA, transB, m, n, depth, alpha, a + (transA ? p * m : p), lda, b + (transB ? p : p * n),
                     ldb, p == 0 ? beta : 1, c, n)
            }
        }
    }
}
