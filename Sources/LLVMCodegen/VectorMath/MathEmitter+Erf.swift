import CLLVM

/// erf in two regions with polynomials fitted for this project (minimax, Lawson IRLS).
extension MathEmitter {
    /// 2/sqrt(pi) split into a float head and tail.
    static let erfC0Head: Float = 1.128379225730896
    static let erfC0Tail: Float = -5.8635382771399236e-08
    /// Q in `erf(x) = x (2/sqrt(pi) + z Q(z))`, z = x^2, on [0, 1], lowest degree first.
    static let erfSmallCoefficients: [Float] = [
        -0.3761262893676758, 0.11283617466688156, -0.02685491554439068, 0.00519016245380044,
        -0.0008024818380363286, 7.898694457253441e-05,
    ]
    /// R in `erfc(x) = exp(-x^2) R(x - 1)` on [1, 4] (fitted for absolute erfc error).
    static let erfcCoefficients: [Float] = [
        0.42758357524871826, -0.2732110619544983, 0.15435054898262024, -0.07905334234237671,
        0.036874979734420776, -0.015110158361494541, 0.0049112895503640175, -0.0010570584563538432,
        0.00010684361768653616,
    ]

    /// erf(x): `x P(x^2)` below |x| = 1, `1 - exp(-x^2) R(|x| - 1)` up to 4, ±1 beyond.
    ///
    /// The small branch adds the head of 2/sqrt(pi) last (`fmuladd(x, head, x*(tail + zQ))`)
    /// so its representation error does not cost an ulp. In the large branch erfc <= 0.16,
    /// so its relative error is damped when subtracted from 1.
    package func erf(_ x: IRValue) -> IRValue {
        let ax = clamp(builder.fabs(x), 0, 4)
        let z = builder.fmul(ax, ax)
        let q = builder.fmuladd(z, polynomial(z, Self.erfSmallCoefficients), c(Self.erfC0Tail))
        let small = builder.fmuladd(ax, c(Self.erfC0Head), builder.fmul(ax, q))
        let r = polynomial(builder.fsub(ax, c(1)), Self.erfcCoefficients)
        let erfc = builder.fmul(expInRange(builder.fneg(z)), r)
        let large = builder.fsub(c(1), erfc)
        let magnitude = builder.select(builder.fcmp(LLVMRealOLT, ax, c(1)), small, large)
        return propagateNaN(x, builder.copysign(magnitude, x))
    }
}
