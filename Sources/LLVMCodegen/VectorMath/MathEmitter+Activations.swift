import CLLVM

/// tanh, sigmoid and softplus, built on `exp`/`log1p` in forms that stay accurate for
/// large |x| (no overflow to NaN, denormal tails kept).
extension MathEmitter {
    /// Minimax coefficients of P in `tanh(x) = x + x^3 P(x^2)` on [0, 0.625], lowest first
    /// (fitted for this project; relative approximation error 4.4e-9).
    static let tanhCoefficients: [Float] = [
        -0.3333328068256378, 0.13331441581249237, -0.05373971536755562, 0.0206390880048275,
        -0.005704987328499556,
    ]

    /// tanh(x): odd polynomial below |x| = 0.625, else `1 - 2/(exp(2|x|) + 1)`; sign copied.
    package func tanh(_ x: IRValue) -> IRValue {
        let ax = builder.fabs(x)
        let z = builder.fmul(ax, ax)
        let small = builder.fmuladd(builder.fmul(ax, z), polynomial(z, Self.tanhCoefficients), ax)
        // tanh rounds to 1 beyond 9.01; 10 keeps exp's argument in range.
        let bounded = clamp(ax, 0, 10)
        let e = expInRange(builder.fadd(bounded, bounded))
        let large = builder.fsub(c(1), builder.fdiv(c(2), builder.fadd(e, c(1))))
        let magnitude = builder.select(builder.fcmp(LLVMRealOLT, ax, c(0.625)), small, large)
        return propagateNaN(x, builder.copysign(magnitude, x))
    }

    /// sigmoid(x) = 1/(1+e^-x), as `e/(1+e)` with `e = exp(-|x|)` for negative x so the
    /// tail below -88.7 underflows gradually instead of dividing by an overflowed exp.
    package func sigmoid(_ x: IRValue) -> IRValue {
        let e = exp(builder.fneg(builder.fabs(x)))
        let denominator = builder.fadd(c(1), e)
        let positive = builder.fdiv(c(1), denominator)
        let negative = builder.fdiv(e, denominator)
        return builder.select(builder.fcmp(LLVMRealOLT, x, c(0)), negative, positive)
    }

    /// softplus(x) = log(1 + e^x), computed stably as `max(x, 0) + log1p(exp(-|x|))`.
    package func softplus(_ x: IRValue) -> IRValue {
        let tail = log1p(exp(builder.fneg(builder.fabs(x))))
        let positivePart = builder.select(builder.fcmp(LLVMRealOGT, x, c(0)), x, c(0))
        return builder.fadd(positivePart, tail)
    }
}
