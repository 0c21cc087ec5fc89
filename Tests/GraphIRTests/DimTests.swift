import Testing
@testable import GraphIR

@Suite struct DimTests {
    @Test func productDividedByItsConstantIsTheSymbol() {
        #expect(Dim.floorDiv(symN * 784, 784) == symN)
        #expect(Dim.floorDiv(784 * symN, 28) == 28 * symN)
        #expect(Dim.floorDiv(symN * symM, symN) == symM)
        #expect(Dim.floorDiv(symN * symM * 6, symM * 3) == 2 * symN)
        #expect(Dim.floorDiv(symN, symN) == 1)
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
        #expect(symN + 1 - 1 == symN)
        #expect(symN - symN == 0)
        #expect(2 * symN + 3 * symN == 5 * symN)
        #expect(symN + symM == symM + symN)
        #expect(symN * symM == symM * symN)
        #expect((symN + 2) + (symM + 3) == (symM + symN) + 5)
        #expect(symN + symM - symN == symM)
        #expect(Dim.ceilDiv(symN, 1) == symN)
    }

    @Test func maxAndMinWithZeroUseNonNegativity() {
        #expect(Dim.max(0, symN) == symN)
        #expect(Dim.min(symN * 3, 0) == 0)
        #expect(Dim.max(0, symN - 1) != symN - 1)
        #expect(Dim.max(symN, symN) == symN)
    }

    @Test(arguments: [
        (Dim.constant(3), Dim.constant(3), Dim.constant(3) as Dim?), (3, 4, nil), (symN, 5, 5), (5, symN, 5),
        (symN, symM, symN), (symM, symN, symM), (symN + 1, symN, nil), (symN, symN, symN), (symN * 2, symN, symN * 2),
    ])
    func unify(a: Dim, b: Dim, result: Dim?) {
        #expect(Dim.unify(a, b) == result)
    }

    @Test func provablyDiffer() {
        #expect(Dim.provablyDiffer(10, 9))
        #expect(Dim.provablyDiffer(784 * symN, 785 * symN))
        #expect(Dim.provablyDiffer(symN + 1, symN))
        #expect(!Dim.provablyDiffer(784 * symN, 784 * symM))
        #expect(!Dim.provablyDiffer(symN, 7))
    }

    @Test func evaluateWithBindings() {
        guard case .symbol(let sn) = symN, case .symbol(let sm) = symM else { Issue.record("not symbols"); return }
        let bindings = [sn: 10, sm: 3]
        #expect((symN * symM + 2).evaluate(bindings) == 32)
        #expect(Dim.floorDiv(symN - 1, symM).evaluate(bindings) == 3)
        #expect(Dim.max(0, symM - symN).evaluate(bindings) == 0)
        #expect(Dim.min(4, symN).evaluate(bindings) == 4)
        #expect((symN + symM).evaluate([sn: 1]) == nil)
    }

    @Test(arguments: [
        (symN - 1, "(?n-1)"), (784 * symN, "(784*?n)"), (symN + symM - 2, "(?m+?n-2)"), (Dim.max(0, symN - 1), "max(0,(?n-1))"),
        (Dim.floorDiv(symN, 3), "(?n/3)"), (1 - symN, "(1-?n)"), (.constant(-4), "-4"),
    ])
    func description(dim: Dim, text: String) {
        #expect(dim.description == text)
    }
}
