import Testing
@testable import TensorRuntime

@Suite("BLAS")
struct BLASTests {
    /// `alpha * op(A) * op(B) + beta * C` by float64 loops; A, B stored row-major as given.
    static func reference(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                          a: [Double], b: [Double], beta: Double, c: [Double]) -> [Double] {
        var out = c.map { beta * $0 }
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let aip = transA ? a[p * m + i] : a[i * k + p]
                    let bpj = transB ? b[j * k + p] : b[p * n + j]
                    sum += aip * bpj
                }
                out[i * n + j] += alpha * sum
            }
        }
        return out
    }

    static let transposes = [(false, false), (false, true), (true, false), (true, true)]

    @Test(arguments: transposes)
    func gemmMatchesNaiveLoops(_ transA: Bool, _ transB: Bool) {
        let (m, n, k) = (3, 4, 5)
        var g = RandomGenerator(seed: 3)
        let a = (0..<(m * k)).map { _ in g.nextUnitDouble() * 2 - 1 }
        let b = (0..<(k * n)).map { _ in g.nextUnitDouble() * 2 - 1 }
        let c = (0..<(m * n)).map { _ in g.nextUnitDouble() * 2 - 1 }
        let want = Self.reference(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1.5,
                                  a: a, b: b, beta: 0.5, c: c)
        let (lda, ldb) = (transA ? m : k, transB ? k : n)
        var dc = c
        BLAS.dgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1.5, a: a, lda: lda,
                   b: b, ldb: ldb, beta: 0.5, c: &dc, ldc: n)
        #expect(zip(dc, want).allSatisfy { abs($0 - $1) < 1e-12 }, "dgemm \(transA) \(transB)")
        let (fa, fb) = (a.map { Float($0) }, b.map { Float($0) })
        var sc = c.map { Float($0) }
        BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1.5, a: fa, lda: lda,
                   b: fb, ldb: ldb, beta: 0.5, c: &sc, ldc: n)
        #expect(zip(sc, want).allSatisfy { abs(Double($0) - $1) < 1e-5 }, "sgemm \(transA) \(transB)")
    }

    @Test func gemvMatchesNaiveLoops() {
        let a: [Double] = [1, 2, 3, 4, 5, 6]  // 2×3
        var y: [Double] = [1, 1]
        BLAS.dgemv(transA: false, m: 2, n: 3, alpha: 2, a: a, lda: 3, x: [1, 0, -1], beta: 1, y: &y)
        #expect(y == [-3, -3])
        var yt: [Float] = [0, 0, 0]
        BLAS.sgemv(transA: true, m: 2, n: 3, alpha: 1, a: a.map { Float($0) }, lda: 3, x: [1, 1], beta: 0, y: &yt)
        #expect(yt == [5, 7, 9])
    }
}
