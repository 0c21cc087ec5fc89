import GraphIR
import Testing
import TensorRuntime

/// Gradient-vs-central-difference rows for the elementwise ops.
enum ElementwiseGradCases {
    static let x = GradArg.random("x", [2, 3])
    static let positive = GradArg.random("x", [2, 3], 0.3...2)
    static let awayFromZero = GradArg.random("x", [2, 3], 0.2...1.5, signed: true)
    static let a = GradArg.random("a", [2, 3]), b = GradArg.random("b", [2, 3])
    static let distinctA = GradArg.f64("a", [2, 3], [0.1, -0.5, 2, 1, -1, 0.3])
    static let distinctB = GradArg.f64("b", [2, 3], [0.4, -0.7, 1, 1.5, -0.2, 0.2])

    static func unary(_ op: ScalarOp, _ arg: GradArg) -> GradCase {
        GradCase(op.name, [arg]) { adUnary(op, $0[0]) }
    }

    static func binary(_ op: ScalarOp, _ lhs: GradArg, _ rhs: GradArg) -> GradCase {
        GradCase(op.name, [lhs, rhs]) { adBinary(op, $0[0], $0[1]) }
    }

    static let unaryRows: [GradCase] = [
        unary(.neg, x), unary(.exp, x), unary(.log, positive), unary(.log1p, positive),
        unary(.expm1, x), unary(.sqrt, positive), unary(.abs, awayFromZero), unary(.sign, awayFromZero),
        unary(.tanh, x), unary(.sigmoid, x), unary(.softplus, x), unary(.relu, awayFromZero), unary(.erf, x),
    ]

    static let binaryRows: [GradCase] = [
        binary(.add, a, b), binary(.sub, a, b), binary(.mul, a, b),
        binary(.div, a, GradArg.random("b", [2, 3], 0.5...2, signed: true)),
        binary(.pow, GradArg.random("a", [2, 3], 0.5...2), GradArg.random("b", [2, 3], -1.5...2)),
        binary(.maximum, distinctA, distinctB), binary(.minimum, distinctA, distinctB),
    ]

    static let otherRows: [GradCase] = [
        GradCase("mul by comparison", [a, b]) { adBinary(.mul, $0[0], adToF64(adBinary(.gt, $0[0], $0[1]))) },
        GradCase("logical ops", [a, b]) {
            let notNegative = adUnary(.logicalNot, adBinary(.lt, $0[1], adF64(0)))
            let both = adBinary(.logicalAnd, adBinary(.gt, $0[0], adF64(0)), notNegative)
            let either = adBinary(.logicalOr, adBinary(.le, $0[0], $0[1]), adBinary(.eq, $0[0], adF64(3)))
            return adBinary(.mul, adBinary(.add, $0[0], $0[1]), adToF64(adBinary(.logicalAnd, both, either)))
        },
        GradCase("select", [a, b, GradArg.random("c", [2, 3], 0.2...1, signed: true)]) {
            Build.select(adBinary(.gt, $0[2], adF64(0)), $0[0], $0[1], at: adHere)
        },
        GradCase("clip", [.f64("x", [6], [-1.2, -0.3, 0.1, 0.5, 0.9, 1.4]), .f64("lo", [], [-0.5]),
                          .f64("hi", [], [0.7])]) {
            Build.clip($0[0], $0[1], $0[2], at: adHere)
        },
        GradCase("cast int to float", [a, .ints("i", [2, 3], [1, -2, 3, 0, 5, 2])]) {
            adBinary(.mul, $0[0], Build.cast($0[1], to: .float64, at: adHere))
        },
        GradCase("broadcast [3,1]+[4]", [.random("a", [3, 1]), .random("b", [4])]) { adBinary(.add, $0[0], $0[1]) },
        GradCase("broadcast [1,3]*[2,3]", [.random("a", [1, 3]), .random("b", [2, 3])]) {
            adBinary(.mul, $0[0], $0[1])
        },
        GradCase("broadcast scalar", [.random("a", []), .random("b", [2, 3])]) { adBinary(.mul, $0[0], $0[1]) },
        GradCase("chain", [x]) { adUnary(.tanh, adBinary(.mul, adUnary(.exp, $0[0]), adUnary(.sigmoid, $0[0]))) },
    ]
}

@Suite struct AutodiffElementwiseTests {
    @Test(arguments: ElementwiseGradCases.unaryRows)
    func unaryGradient(_ row: GradCase) throws {
        try adCheckGradients(row.args, row.build)
    }

    @Test(arguments: ElementwiseGradCases.binaryRows)
    func binaryGradient(_ row: GradCase) throws {
        try adCheckGradients(row.args, row.build)
    }

    @Test(arguments: ElementwiseGradCases.otherRows)
    func otherGradient(_ row: GradCase) throws {
        try adCheckGradients(row.args, row.build)
    }

    /// A float64 → float32 cast sends g back as float64 (checked against the float32 weights).
    @Test func castFloatGradientHasInputDtype() throws {
        let x = Build.input("x", dtype: .float64, shape: [3], at: adHere)
        let w = try Tensor(shape: [3], scalars: [Float(0.5), -1.25, 2])
        let cost = adSum(adBinary(.mul, Build.cast(x, to: .float32, at: adHere), Build.constant(w, at: adHere)))
        let g = gradients(of: cost, wrt: [x], at: adHere)[0]
        #expect(g.type == TensorType(.float64, [3]))
        let value = try adEvaluate([g], inputs: [x], [Tensor(shape: [3], values: [1, 2, 3], dtype: .float64)])[0]
        #expect(value.dtype == .float64)
        #expect(value.scalars == [0.5, -1.25, 2])
    }
}
