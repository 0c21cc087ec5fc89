import CLLVM

/// Emits float32 elementary functions as straight-line IR the loop vectorizer can widen.
///
/// Every function uses only arithmetic, compares/selects, integer bit tricks and the
/// intrinsics `fmuladd`, `rint`, `fabs`, `copysign` — never a libm call — so a loop
/// applying it vectorizes to `<16 x float>` on AVX-512. Each one handles the whole float
/// range (NaN, ±inf, ±0, denormal inputs and results, overflow/underflow edges); the
/// accuracy measured against a float64 reference is listed in docs/vector-math.md.
/// Arithmetic is plain IEEE: no fast-math flags, so the algorithms' exactness arguments
/// (Cody–Waite reduction, Fast2Sum corrections) hold.
package struct MathEmitter {
    package let builder: IRBuilder

    package init(_ builder: IRBuilder) { self.builder = builder }

    // MARK: Constants and small helpers

    /// An f32 constant.
    func c(_ value: Float) -> IRValue { builder.f32(value) }
    /// An i32 constant.
    func ci(_ value: Int32) -> IRValue { builder.i32(value) }

    /// `c[0] + x*(c[1] + x*(c[2] + ...))` by Horner's rule with `fmuladd`.
    func polynomial(_ x: IRValue, _ coefficients: [Float]) -> IRValue {
        precondition(!coefficients.isEmpty, "empty polynomial")
        var accumulator = c(coefficients[coefficients.count - 1])
        for coefficient in coefficients.dropLast().reversed() {
            accumulator = builder.fmuladd(accumulator, x, c(coefficient))
        }
        return accumulator
    }

    /// True where `x` is NaN.
    func isNaN(_ x: IRValue) -> IRValue { builder.fcmp(LLVMRealUNO, x, x) }

    /// Clamps `x` to [lo, hi] with compare+select, letting NaN pass through unchanged.
    func clamp(_ x: IRValue, _ lo: Float, _ hi: Float) -> IRValue {
        let low = builder.select(builder.fcmp(LLVMRealOLT, x, c(lo)), c(lo), x)
        return builder.select(builder.fcmp(LLVMRealOGT, low, c(hi)), c(hi), low)
    }

    /// `x` where `x` is NaN, `value` elsewhere (also discards poison from `fptosi(NaN)`).
    func propagateNaN(_ x: IRValue, _ value: IRValue) -> IRValue { builder.select(isNaN(x), x, value) }

    /// `2^n` for an i32 `n` in [-126, 127], built from the exponent bits.
    func exp2i(_ n: IRValue) -> IRValue {
        let biased = builder.shl(builder.add(n, ci(127)), ci(23))
        return builder.bitcast(biased, to: builder.f32)
    }

    /// `y * 2^n` for i32 `n` in [-252, 254] with one final rounding.
    ///
    /// `2^n` is applied in two halves: `y * 2^(n>>1)` is exact for `y` near 1, and the
    /// second multiply rounds once, giving correct overflow to inf and gradual underflow.
    func scale(_ y: IRValue, by n: IRValue) -> IRValue {
        let half = builder.ashr(n, ci(1))
        let rest = builder.sub(n, half)
        return builder.fmul(builder.fmul(y, exp2i(half)), exp2i(rest))
    }

    /// Cody–Waite reduction `x = m*ln2 + r` with `m = rint(x/ln2)` and |r| <= ln2/2.
    ///
    /// `ln2hi` has 9 significant bits, so `m*ln2hi` is exact for |m| < 2^15 and
    /// `x - m*ln2hi` is exact; `ln2lo` supplies the remaining bits. Returns (m as f32, r).
    func reduceLn2(_ x: IRValue) -> (m: IRValue, r: IRValue) {
        let m = builder.rint(builder.fmul(x, c(Float(1.44269504088896341))))
        let r = builder.fmuladd(m, c(-0.693359375), x)
        return (m, builder.fmuladd(m, c(2.12194440e-4), r))
    }
}
