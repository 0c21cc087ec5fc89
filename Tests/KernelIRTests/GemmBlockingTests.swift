import Testing
import TensorRuntime
@testable import KernelIR

/// Thin products run in blocks (`GemmBlocking`): the rule on sizes, and the blocked results
/// against a float64 reference for every transpose, with beta 0 and 1.
@Suite struct GemmBlockingTests {
    struct RuleCase: Sendable, CustomStringConvertible {
        let m: Int, n: Int, k: Int
        let axis: GemmBlocking.Axis, block: Int
        var description: String { "m=\(m) n=\(n) k=\(k)" }
    }

    /// W3's products: conv1 forward (N blocks) and filter gradient (K blocks); conv2, the
    /// dense layers and small products run whole.
    static let rules: [RuleCase] = [
        RuleCase(m: 20, n: 36864, k: 25, axis: .n, block: 400),
        RuleCase(m: 25, n: 20, k: 36864, axis: .k, block: 1200),
        RuleCase(m: 20, n: 25, k: 36864, axis: .k, block: 1200),
        RuleCase(m: 50, n: 4096, k: 500, axis: .none, block: 0),
        RuleCase(m: 500, n: 4096, k: 50, axis: .none, block: 0),
        RuleCase(m: 500, n: 50, k: 4096, axis: .none, block: 0),
        RuleCase(m: 64, n: 500, k: 10, axis: .none, block: 0),
        RuleCase(m: 20, n: 1000, k: 25, axis: .none, block: 0),
        RuleCase(m: 1, n: 2_000_000, k: 1, axis: .n, block: 200_000),
        RuleCase(m: 1, n: 1, k: 2_000_000, axis: .k, block: 600_000),
    ]

    @Test(arguments: rules)
    func rule(_ c: RuleCase) {
        for (transA, transB) in [(false, false), (true, true)] {
            let blocking = GemmBlocking(GemmShape(m: c.m, n: c.n, k: c.k, transA: transA, transB: transB))
            #expect(blocking.axis == c.axis && blocking.block == c.block, "\(blocking)")
        }
    }

    struct ProductCase: Sendable, CustomStringConvertible {
        let m: Int, n: Int, k: Int
        let axis: GemmBlocking.Axis
        var description: String { "m=\(m) n=\(n) k=\(k)" }
    }

    /// Sizes whose blocks do not divide the split dimension.
    static let products = [ProductCase(m: 4, n: 20000, k: 16, axis: .n), ProductCase(m: 3, n: 5, k: 70001, axis: .k)]

    @Test(arguments: products, [false, true])
    func blockedFloat32(_ c: ProductCase, beta: Bool) {
        check(c, beta: beta, Float.self, tolerance: 1e-6, BLAS.sgemm)
    }

    @Test(arguments: products, [false, true])
    func blockedFloat64(_ c: ProductCase, beta: Bool) {
        check(c, beta: beta, Double.self, tolerance: 1e-12, BLAS.dgemm)
    }

    private typealias Gemm<T> = (Bool, Bool, Int, Int, Int, T, UnsafePointer<T>, Int, UnsafePointer<T>, Int, T,
                                 UnsafeMutablePointer<T>, Int) -> Void

    /// `C = 0.5·op(A)·op(B) + beta·C` in blocks against the float64 sum, for every transpose
    /// (the error bound grows with k).
    private func check<T: BinaryFloatingPoint>(_ c: ProductCase, beta useBeta: Bool, _: T.Type, tolerance: Double,
                                               _ blas: @escaping Gemm<T>) {
        var random = SystemRandomNumberGenerator()
        let a = (0..<(c.m * c.k)).map { _ in Double.random(in: -1...1, using: &random) }
        let b = (0..<(c.k * c.n)).map { _ in Double.random(in: -1...1, using: &random) }
        let c0 = (0..<(c.m * c.n)).map { _ in Double.random(in: -1...1, using: &random) }
        for (transA, transB) in [(false, false), (true, false), (false, true), (true, true)] {
            let shape = GemmShape(m: c.m, n: c.n, k: c.k, transA: transA, transB: transB)
            #expect(GemmBlocking(shape).axis == c.axis)
            var ta = a.map { T($0) }, tb = b.map { T($0) }, tc = c0.map { T($0) }
            ta.withUnsafeMutableBufferPointer { pa in
                tb.withUnsafeMutableBufferPointer { pb in
                    tc.withUnsafeMutableBufferPointer { pc in
                        shape.run(batch: 1, strides: (0, 0, 0), alpha: 0.5, beta: useBeta ? 1 : 0,
                                  pa.baseAddress!, pb.baseAddress!, pc.baseAddress!, blas)
                    }
                }
            }
            var worst = 0.0
            for i in 0..<c.m {
                for j in 0..<c.n {
                    var sum = 0.0
                    for p in 0..<c.k {
                        sum += a[transA ? p * c.m + i : i * c.k + p] * b[transB ? j * c.k + p : p * c.n + j]
                    }
                    let expected = 0.5 * sum + (useBeta ? c0[i * c.n + j] : 0)
                    worst = max(worst, abs(Double(tc[i * c.n + j]) - expected))
                }
            }
            #expect(worst < tolerance * Double(c.k), "transA \(transA) transB \(transB): error \(worst)")
        }
    }
}
