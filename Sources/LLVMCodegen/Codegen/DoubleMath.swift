import CLLVM

/// Inline double-precision `log`, `exp` and `pow` for float32 `pow` (no libm calls).
///
/// float32 `pow(x, y)` is computed as `exp(y·log|x|)` in double with about 1e-15 relative
/// error and rounded once to float, so it is within one float ulp of the reference (which
/// rounds double `pow`), and the loop still vectorizes (`<8 x double>`). The special cases
/// follow C's `pow`: `pow(x, ±0) = 1`, `pow(1, y) = 1`, `pow(-1, ±inf) = 1`, a negative finite
/// base with a non-integer exponent gives NaN, odd integer exponents keep the base's sign
/// (also of -0 and -inf), and overflow and underflow round to ±inf and ±0.
struct DoubleMath {
    let b: IRBuilder

    private func c(_ value: Double) -> IRValue { b.f64(value) }
    private func isNaN(_ x: IRValue) -> IRValue { b.fcmp(LLVMRealUNO, x, x) }

    /// fdlibm's split of ln 2: `ln2Hi` has 21 trailing zero bits, so `k·ln2Hi` is exact.
    private static let ln2Hi = 6.93147180369123816490e-01
    private static let ln2Lo = 1.90821492927058770002e-10

    /// Horner's rule with `fmuladd`: `c[0] + x·(c[1] + x·(...))`.
    private func polynomial(_ x: IRValue, _ coefficients: [Double]) -> IRValue {
        var accumulator = c(coefficients[coefficients.count - 1])
        for coefficient in coefficients.dropLast().reversed() {
            accumulator = b.fmuladd(accumulator, x, c(coefficient))
        }
        return accumulator
    }

    /// `log(x)` for `x >= 0` (also 0, denormals, inf and NaN), relative error about 1e-16.
    ///
    /// `x = 2^k·m` with `m ∈ [√½, √2)`; `log m = 2·atanh(s) = 2s + s·z·P(z)` with
    /// `s = (m-1)/(m+1)`, `z = s² ≤ 0.0295` and P the atanh series to `z^8`.
    func log(_ x: IRValue) -> IRValue {
        let tiny = b.fcmp(LLVMRealOLT, x, c(0x1p-1022))
        let bits = b.bitcast(b.select(tiny, b.fmul(x, c(0x1p54)), x), to: b.i64)
        let biased = b.and(b.lshr(bits, b.i64(52)), b.i64(0x7FF))
        let fraction = b.or(b.and(bits, b.i64(0x000F_FFFF_FFFF_FFFF)), b.i64(0x3FF0_0000_0000_0000))
        let unit = b.bitcast(fraction, to: b.f64)
        let high = b.fcmp(LLVMRealOGT, unit, c(2.0.squareRoot()))
        let m = b.select(high, b.fmul(unit, c(0.5)), unit)
        var k = b.sub(biased, b.select(tiny, b.i64(1023 + 54), b.i64(1023)))
        k = b.add(k, b.zext(high, to: b.i64))
        let s = b.fdiv(b.fsub(m, c(1)), b.fadd(m, c(1)))
        let z = b.fmul(s, s)
        let series = polynomial(z, (1...9).map { 2 / Double(2 * $0 + 1) })
        let logM = b.fmuladd(b.fmul(s, z), series, b.fadd(s, s))
        let kd = b.siToFP(k, to: b.f64)
        var result = b.fmuladd(kd, c(Self.ln2Hi), b.fmuladd(kd, c(Self.ln2Lo), logM))
        result = b.select(b.fcmp(LLVMRealOEQ, x, c(0)), c(-.infinity), result)
        result = b.select(b.fcmp(LLVMRealOEQ, x, c(.infinity)), x, result)
        return b.select(b.or(isNaN(x), b.fcmp(LLVMRealOLT, x, c(0))), c(.nan), result)
    }

    /// `exp(t)` wherever the result matters as a float: |t| is clamped to 200 (beyond that the
    /// float result is inf or 0 anyway); relative error about 1e-16; NaN stays NaN.
    func expForFloat(_ t: IRValue) -> IRValue {
        let low = b.select(b.fcmp(LLVMRealOLT, t, c(-200)), c(-200), t)
        let clamped = b.select(b.fcmp(LLVMRealOGT, low, c(200)), c(200), low)
        let safe = b.select(isNaN(t), c(0), clamped)
        let n = b.rint(b.fmul(safe, c(1.4426950408889634)))
        let r = b.fmuladd(n, c(-Self.ln2Lo), b.fmuladd(n, c(-Self.ln2Hi), safe))
        var factorial = 1.0
        let taylor = (0...12).map { k -> Double in
            if k > 0 { factorial *= Double(k) }
            return 1 / factorial
        }
        let p = polynomial(r, taylor)
        let exponent = b.shl(b.add(b.fpToSI(n, to: b.i64), b.i64(1023)), b.i64(52))
        let result = b.fmul(p, b.bitcast(exponent, to: b.f64))
        return b.select(isNaN(t), t, result)
    }

    /// C's `pow(x, y)` for doubles that came from floats, accurate as a float result.
    func pow(_ x: IRValue, _ y: IRValue) -> IRValue {
        let magnitude = expForFloat(b.fmul(y, log(b.fabs(x))))
        let yIsInteger = b.fcmp(LLVMRealOEQ, b.floor(y), y)
        let half = b.fmul(y, c(0.5))
        let yIsOdd = b.and(yIsInteger, b.fcmp(LLVMRealONE, b.floor(half), half))
        let xSignBit = b.icmp(LLVMIntSLT, b.bitcast(x, to: b.i64), b.i64(0))
        var result = b.select(b.and(xSignBit, yIsOdd), b.fneg(magnitude), magnitude)
        let negativeFinite = b.and(b.fcmp(LLVMRealOLT, x, c(0)), b.fcmp(LLVMRealONE, x, c(-.infinity)))
        result = b.select(b.and(negativeFinite, b.xor(yIsInteger, b.i1(true))), c(.nan), result)
        let yIsInfinite = b.fcmp(LLVMRealOEQ, b.fabs(y), c(.infinity))
        let one = b.or(b.or(b.fcmp(LLVMRealOEQ, y, c(0)), b.fcmp(LLVMRealOEQ, x, c(1))),
                       b.and(b.fcmp(LLVMRealOEQ, x, c(-1)), yIsInfinite))
        return b.select(one, c(1), result)
    }
}
