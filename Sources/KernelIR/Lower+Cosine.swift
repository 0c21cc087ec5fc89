import GraphIR
import TensorRuntime

extension GroupLowering {
    /// `cos(2 * .pi * t)` for `t` in [0, 1) as float64 loop-IR arithmetic (vectorizable, no
    /// calls), within a few ulp of libm's `cos` of the same rounded argument `a = fl(2π·t)`.
    ///
    /// fdlibm's reduction: `k = round(a·2/π)` (0...4), `r = a - k·π/2` with π/2 split in three
    /// parts (`k·pio2_1` and `k·pio2_2` are exact, the first subtraction by Sterbenz's lemma), so
    /// r is accurate even next to a zero of cos; then the Taylor polynomial of cos (to r¹⁶) or
    /// sin (to r¹⁹) on |r| ≤ π/4 (truncation below 1e-17) with the quadrant's sign.
    mutating func cosTwoPi(_ t: KExpr) -> KExpr {
        func f(_ x: Double) -> KExpr { .constant(x, .float64) }
        func bind(_ x: KExpr, _ dtype: DType = .float64) -> KExpr { e.bind(x, dtype) }
        let a = bind(.op(.mul, [f(2 * Double.pi), t]))
        let k = bind(.op(.cast(.int64), [.op(.add, [.op(.mul, [a, f(2 / Double.pi)]), f(0.5)])]), .int64)
        let kd = bind(.op(.cast(.float64), [k]))
        var r = a
        for part in Self.halfPiParts { r = .op(.sub, [r, .op(.mul, [kd, f(part)])]) }
        r = bind(r)
        let r2 = bind(.op(.mul, [r, r]))
        let cosine = Self.horner(r2, Self.taylor(odd: false))
        let sine = KExpr.op(.mul, [r, Self.horner(r2, Self.taylor(odd: true))])
        let odd = KExpr.op(.eq, [.index(.bitAnd, k, .intConstant(1)), .intConstant(1)])
        let magnitude = bind(.op(.select, [odd, sine, cosine]))
        let negative = KExpr.op(.neq, [.index(.bitAnd, .index(.add, k, .intConstant(1)), .intConstant(2)), .intConstant(0)])
        return .op(.select, [negative, .op(.neg, [magnitude]), magnitude])
    }

    /// fdlibm's π/2 = pio2_1 + pio2_2 + pio2_2t (the first two with 33 significant bits).
    private static let halfPiParts = [1.57079632673412561417e+00, 6.07710050630396597660e-11,
                                      2.02226624879595063154e-21]

    /// Taylor coefficients of cos (`(-1)^k / (2k)!`, k ≤ 8) or sin / x (`(-1)^k / (2k+1)!`, k ≤ 9)
    /// as polynomials in x².
    private static func taylor(odd: Bool) -> [Double] {
        var factorial = 1.0, result: [Double] = []
        for n in 0...(odd ? 19 : 16) {
            if n > 0 { factorial *= Double(n) }
            guard n % 2 == (odd ? 1 : 0) else { continue }
            result.append((n / 2) % 2 == 0 ? 1 / factorial : -1 / factorial)
        }
        return result
    }

    /// `c[0] + y·(c[1] + y·(...))` with plain float64 multiplies and adds.
    private static func horner(_ y: KExpr, _ coefficients: [Double]) -> KExpr {
        var accumulator = KExpr.constant(coefficients[coefficients.count - 1], .float64)
        for c in coefficients.dropLast().reversed() {
            accumulator = .op(.add, [.op(.mul, [accumulator, y]), .constant(c, .float64)])
        }
        return accumulator
    }
}
