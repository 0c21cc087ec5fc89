import Testing
@testable import GraphIR

@Suite struct DimTests {
    @Test func productDividedByItsConstantIsTheSymbol() {
        #expect(Dim.floorDiv(n * 784, 784) == n)
        #expect(Dim.floorDiv(784 * n, 28) == 28 * n)
        #expect(Dim.floorDiv(n * m, n) == m)
        #expect(Dim.floorDiv(n * m * 6, m * 3) == 2 * n)
        #expect(Dim.floorDiv(n, n) == 1)
    }

    @Test(arguments: [
        (Dim.constant(3) + 4, 7), (Dim.constant(3) * 4, 12), (Dim.constant(3) - 5, -2),
        (Dim.floorDiv(7, 2), 3), (Dim.floorDiv(-7, 2), -4), (Dim.ceilDiv(7, 2), 4), (Dim.ceilDiv(8, 2), 4),
        (Dim.max(3, 5), 5), (Dim.min(3, 5), 3), (Dim.product(of: [2, 3, 4]), 24), (Dim.product(of: []), 1),
    ])
    func constantsFold(dim: Dim, value: Int) {
        #expect(dim == .constant(value))
    }

    @Test func sumsAreNormalised() {
        #expect(n + 1 - 1 == n)
        #expect(n - n == 0)
        #expect(2 * n + 3 * n == 5 * n)
        #expect(n + m == m + n)
        #expect(n * m == m * n)
        #expect((n + 2) + (m + 3) == (m + n) + 5)
        #expect(n + m - n == m)
        #expect(Dim.ceilDiv(n, 1) == n)
    }

    @Test func maxAndMinWithZeroUseNonNegativity() {
        #expect(Dim.max(0, n) == n)
        #expect(Dim.min(n * 3, 0) == 0)
        #expect(Dim.max(0, n - 1) != n - 1)
        #expect(Dim.max(n, n) == n)
    }

    @Test(arguments: [
        (Dim.constant(3), Dim.constant(3), Dim.constant(3) as Dim?), (3, 4, nil), (n, 5, 5), (5, n, 5),
        (n, m, n), (m, n, m), (n + 1, n, nil), (n, n, n), (n * 2, n, n * 2),
    ])
    func unify(a: Dim, b: Dim, result: Dim?) {
        #expect(Dim.unify(a, b) == result)
    }

    @Test func provablyDiffer() {
        #expect(Dim.provablyDiffer(10, 9))
        #expect(Dim.provablyDiffer(784 * n, 785 * n))
        #expect(Dim.provablyDiffer(n + 1, n))
        #expect(!Dim.provablyDiffer(784 * n, 784 * m))
        #expect(!Dim.provablyDiffer(n, 7))
    }

    @Test func evaluateWithBindings() {
        guard case .symbol(let sn) = n, case .symbol(let sm) = m else { Issue.record("not symbols"); return }
        let bindings = [sn: 10, sm: 3]
        #expect((n * m + 2).evaluate(bindings) == 32)
        #expect(Dim.floorDiv(n - 1, m).evaluate(bindings) == 3)
        #expect(Dim.max(0, m - n).evaluate(bindings) == 0)
        #expect(Dim.min(4, n).evaluate(bindings) == 4)
        #expect((n + m).evaluate([sn: 1]) == nil)
    }

    @Test(arguments: [
        (n - 1, "(?n-1)"), (784 * n, "(784*?n)"), (n + m - 2, "(?m+?n-2)"), (Dim.max(0, n - 1), "max(0,(?n-1))"),
        (Dim.floorDiv(n, 3), "(?n/3)"), (1 - n, "(1-?n)"), (.constant(-4), "-4"),
    ])
    func description(dim: Dim, text: String) {
        #expect(dim.description == text)
    }
}
