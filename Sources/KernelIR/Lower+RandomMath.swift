import GraphIR
import TensorRuntime

extension Double {
    /// 2^k for small k.
    fileprivate static func pow2(_ k: Int) -> Double { Double(sign: .plus, exponent: k, significand: 1) }
}

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

    /// `log(x)` for `x` in [2^-53, 1] (Box–Muller's `1 - u`) as float64 loop-IR arithmetic
    /// (vectorizable, no calls), within about one ulp of libm's `log`.
    ///
    /// Exact scaling by powers of two (a ladder of 32, 16, 8, 4, 2, 1, then one more step to
    /// [√½, √2)) gives `x = 2^E·m`; then fdlibm's `log m = 2s + s·z·P(z)` with `s = (m-1)/(m+1)`,
    /// `z = s²` and P the atanh series to z⁸, and `E·ln2` added in two parts.
    mutating func logUnitInterval(_ x: KExpr) -> KExpr {
        func f(_ v: Double) -> KExpr { .constant(v, .float64) }
        var m = x, exponent = f(0)
        for p in [32, 16, 8, 4, 2, 1] {
            let small = e.bind(.op(.lt, [m, f(Double.pow2(-p))]), .bool)
            m = e.bind(.op(.select, [small, .op(.mul, [m, f(Double.pow2(p))]), m]), .float64)
            exponent = e.bind(.op(.select, [small, .op(.sub, [exponent, f(Double(p))]), exponent]), .float64)
        }
        let low = e.bind(.op(.lt, [m, f(0.5.squareRoot())]), .bool)
        m = e.bind(.op(.select, [low, .op(.mul, [m, f(2)]), m]), .float64)
        exponent = e.bind(.op(.select, [low, .op(.sub, [exponent, f(1)]), exponent]), .float64)
        let s = e.bind(.op(.div, [.op(.sub, [m, f(1)]), .op(.add, [m, f(1)])]), .float64)
        let z = e.bind(.op(.mul, [s, s]), .float64)
        let series = Self.horner(z, (1...9).map { 2 / Double(2 * $0 + 1) })
        let logM = KExpr.op(.add, [.op(.mul, [.op(.mul, [s, z]), series]), .op(.add, [s, s])])
        let tail = KExpr.op(.add, [.op(.mul, [exponent, f(Self.ln2Lo)]), logM])
        return .op(.add, [.op(.mul, [exponent, f(Self.ln2Hi)]), tail])
    }

    /// fdlibm's split of ln 2 (`ln2Hi` has 21 trailing zero bits, so `E·ln2Hi` is exact).
    private static let ln2Hi = 6.93147180369123816490e-01
    private static let ln2Lo = 1.90821492927058770002e-10

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
