import CLLVM

/// exp and expm1: Cody–Waite reduction by ln2 and a minimax polynomial on |r| <= ln2/2.
extension MathEmitter {
    /// Coefficients of P in `exp(r) = 1 + r + r^2 P(r)` (Cephes expf), lowest degree first.
    static let expCoefficients: [Float] = [
        5.0000001201e-1, 1.6666665459e-1, 4.1665795894e-2, 8.3334519073e-3, 1.3981999507e-3, 1.9875691500e-4,
    ]

    /// `exp(r) - 1` on |r| <= ln2/2: `r + r^2 P(r)` (accurate for tiny r as well).
    func expm1Reduced(_ r: IRValue) -> IRValue {
        builder.fmuladd(builder.fmul(r, r), polynomial(r, Self.expCoefficients), r)
    }

    /// exp(x) for every float: 0 below -103.97, inf above 88.72, gradual underflow, NaN kept.
    package func exp(_ x: IRValue) -> IRValue {
        let clamped = clamp(x, -104, 89)
        let (m, r) = reduceLn2(clamped)
        let mantissa = builder.fadd(expm1Reduced(r), c(1))
        let result = scale(mantissa, by: builder.fpToSI(m, to: builder.i32))
        return propagateNaN(x, result)
    }

    /// exp(x) for x in [-87, 88] only (no clamping, no NaN handling): a cheaper core for
    /// callers that have already bounded the argument.
    func expInRange(_ x: IRValue) -> IRValue {
        let (m, r) = reduceLn2(x)
        let mantissa = builder.fadd(expm1Reduced(r), c(1))
        return builder.fmul(mantissa, exp2i(builder.fpToSI(m, to: builder.i32)))
    }

    /// expm1(x) = exp(x) - 1 without cancellation near 0; -1 below -17.3, inf above 88.72.
    ///
    /// With `x = m ln2 + r` and `t = 2^m`: `expm1(x) = t*expm1(r) + (t - 1)`, where `t - 1`
    /// is exact for the |m| <= 24 that matter and the sum is one `fmuladd`. `m = 128`
    /// (x near the overflow threshold) uses `t = 2^127` and a final exact doubling.
    package func expm1(_ x: IRValue) -> IRValue {
        let clamped = clamp(x, -30, 89)
        let (m, r) = reduceLn2(clamped)
        let p = expm1Reduced(r)
        let mi = builder.fpToSI(m, to: builder.i32)
        let isTop = builder.icmp(LLVMIntSGT, mi, ci(127))
        let t = exp2i(builder.select(isTop, ci(127), mi))
        let sum = builder.fmuladd(t, p, builder.fsub(t, c(1)))
        let result = builder.select(isTop, builder.fmul(sum, c(2)), sum)
        let tiny = builder.fcmp(LLVMRealOLT, builder.fabs(x), c(0x1p-24))
        return propagateNaN(x, builder.select(tiny, x, result))
    }
}
