import GraphIR
import TensorRuntime

extension GroupLowering {
    /// `cos(2πt)` for `t` in [0, 1) as float64 loop-IR arithmetic (vectorizable, no calls),
    /// within a few double ulp of libm's `cos(2 * .pi * t)` (which rounds its argument).
    ///
    /// Exact reductions by symmetry: `r = t - round(t)` in [-½, ½], `s = |r|`; for s > ¼,
    /// `cos 2πs = -cos 2π(½ - s)`; then for s > ⅛, `cos 2πs = sin 2π(¼ - s)` (each difference
    /// is exact by Sterbenz's lemma). The Taylor polynomials of cos (to x¹⁶) and sin (to x¹⁹) on
    /// x = 2πs ≤ π/4 truncate below 1e-17.
    mutating func cosTwoPi(_ t: KExpr) -> KExpr {
        func f(_ x: Double) -> KExpr { .constant(x, .float64) }
        func bind(_ x: KExpr, _ dtype: DType = .float64) -> KExpr { e.bind(x, dtype) }
        let r = KExpr.op(.select, [.op(.ge, [t, f(0.5)]), .op(.sub, [t, f(1)]), t])
        let s = bind(.op(.abs, [r]))
        let flip = bind(.op(.gt, [s, f(0.25)]), .bool)
        let s1 = bind(.op(.select, [flip, .op(.sub, [f(0.5), s]), s]))
        let useSin = bind(.op(.gt, [s1, f(0.125)]), .bool)
        let x = bind(.op(.mul, [.op(.select, [useSin, .op(.sub, [f(0.25), s1]), s1]), f(2 * Double.pi)]))
        let x2 = bind(.op(.mul, [x, x]))
        let cosine = Self.horner(x2, Self.taylor(odd: false))
        let sine = KExpr.op(.mul, [x, Self.horner(x2, Self.taylor(odd: true))])
        let magnitude = bind(.op(.select, [useSin, sine, cosine]))
        return .op(.select, [flip, .op(.neg, [magnitude]), magnitude])
    }

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
