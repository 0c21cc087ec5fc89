import CLLVM

/// log and log1p: exponent/mantissa split to [sqrt(1/2), sqrt(2)) and a minimax polynomial.
extension MathEmitter {
    /// Coefficients of P in `log(1+f) = f - f^2/2 + f^3 P(f)` (Cephes logf), lowest first.
    static let logCoefficients: [Float] = [
        3.3333331174e-1, -2.4999993993e-1, 2.0000714765e-1, -1.6668057665e-1, 1.4249322787e-1,
        -1.2420140846e-1, 1.1676998740e-1, -1.1514610310e-1, 7.0376836292e-2,
    ]

    /// Splits positive finite `x` into `x = 2^k (1 + f)` with `1 + f` in [sqrt(1/2), sqrt(2)).
    ///
    /// Denormals are first scaled by 2^25. `f` is exact (Sterbenz). Returns k as f32.
    func logReduce(_ x: IRValue) -> (f: IRValue, k: IRValue) {
        let denormal = builder.fcmp(LLVMRealOLT, x, c(Float.leastNormalMagnitude))
        let scaled = builder.select(denormal, builder.fmul(x, c(0x1p25)), x)
        let bits = builder.bitcast(scaled, to: builder.i32)
        let biased = builder.and(builder.lshr(bits, ci(23)), ci(0xff))
        var exponent = builder.sub(biased, builder.select(denormal, ci(126 + 25), ci(126)))
        let mantissaBits = builder.or(builder.and(bits, ci(0x007f_ffff)), ci(0x3f00_0000))
        let m = builder.bitcast(mantissaBits, to: builder.f32)  // in [0.5, 1)
        let low = builder.fcmp(LLVMRealOLT, m, c(Float(0.70710678118654752440)))
        exponent = builder.select(low, builder.sub(exponent, ci(1)), exponent)
        let f = builder.select(low, builder.fsub(builder.fadd(m, m), c(1)), builder.fsub(m, c(1)))
        return (f, builder.siToFP(exponent, to: builder.f32))
    }

    /// `k ln2 + log(1+f) + correction`, summing small terms first (Cephes order).
    func logCore(f: IRValue, k: IRValue, correction: IRValue? = nil) -> IRValue {
        let z = builder.fmul(f, f)
        var y = builder.fmul(builder.fmul(f, z), polynomial(f, Self.logCoefficients))
        y = builder.fmuladd(k, c(-2.12194440e-4), y)
        y = builder.fmuladd(z, c(-0.5), y)
        if let correction { y = builder.fadd(y, correction) }
        let sum = builder.fadd(f, y)
        return builder.fmuladd(k, c(0.693359375), sum)
    }

    /// Special results shared by log and log1p, keyed on the argument `u` of the logarithm.
    func logSpecials(_ u: IRValue, _ value: IRValue) -> IRValue {
        var result = builder.select(builder.fcmp(LLVMRealOEQ, u, c(.infinity)), c(.infinity), value)
        result = builder.select(builder.fcmp(LLVMRealOEQ, u, c(0)), c(-.infinity), result)
        return builder.select(builder.fcmp(LLVMRealULT, u, c(0)), c(.nan), result)
    }

    /// Natural logarithm: -inf at ±0, NaN below 0 and for NaN, inf at inf.
    package func log(_ x: IRValue) -> IRValue {
        let (f, k) = logReduce(x)
        return logSpecials(x, logCore(f: f, k: k))
    }

    /// log(1+x) accurate near 0: -inf at -1, NaN below -1.
    ///
    /// `u = 1 + x` is rounded; its exact rounding error (Fast2Sum, ordered by magnitude)
    /// divided by `u` is added back as a first-order correction. |x| < 2^-24 returns x.
    package func log1p(_ x: IRValue) -> IRValue {
        let one = c(1)
        let u = builder.fadd(one, x)
        let smallX = builder.fsub(x, builder.fsub(u, one))
        let largeX = builder.fsub(one, builder.fsub(u, x))
        let error = builder.select(builder.fcmp(LLVMRealOLE, x, one), smallX, largeX)
        let (f, k) = logReduce(u)
        let value = logCore(f: f, k: k, correction: builder.fdiv(error, u))
        let tiny = builder.fcmp(LLVMRealOLT, builder.fabs(x), c(0x1p-24))
        return logSpecials(u, builder.select(tiny, x, value))
    }
}
