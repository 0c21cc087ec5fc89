import GraphIR
import Testing
import TensorRuntime

/// The gemm primitive the optimizer introduces: type rule, reference evaluation against
/// dot + add, and its vjp against central differences.
@Suite struct RewriteGemmTests {
    /// Inputs c (2×3), alpha, a, b, beta with a, b stored transposed when asked.
    static func operands(transA: Bool, transB: Bool) -> [GradArg] {
        [GradArg.random("c", [2, 3]), GradArg.random("alpha", []),
         GradArg.random("a", transA ? [4, 2] : [2, 4]), GradArg.random("b", transB ? [3, 4] : [4, 3]),
         GradArg.random("beta", [])]
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matchesDotAndAdd(_ flags: (Bool, Bool)) throws {
        let (transA, transB) = flags
        let args = Self.operands(transA: transA, transB: transB)
        let v = adInputs(args)
        let gemm = Node.make(.gemm(transA: transA, transB: transB), v, at: adHere)
        try #require(gemm.error == nil && gemm.type == v[0].type)
        let t = { (x: Node, flag: Bool) in flag ? Build.transpose(x, axes: nil, at: adHere) : x }
        let product = Build.dot(t(v[2], transA), t(v[3], transB), at: adHere)
        let reference = adBinary(.add, adBinary(.mul, v[4], v[0]), adBinary(.mul, v[1], product))
        let out = try adEvaluate([gemm, reference], inputs: v, args.map(\.value))
        #expect(RW.agree(out[0], out[1], rtol: 1e-14), "\(out[0].scalars) vs \(out[1].scalars)")
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func gradientMatchesCentralDifferences(_ flags: (Bool, Bool)) throws {
        try adCheckGradients(Self.operands(transA: flags.0, transB: flags.1)) { v in
            Node.make(.gemm(transA: flags.0, transB: flags.1), v, at: adHere)
        }
    }

    @Test func typeRuleRejectsMisfits() {
        let m = { (name: String, shape: [Int?]) in Build.input(name, dtype: .float32, shape: shape, at: adHere) }
        let s = m("s", []), c = m("c", [2, 3])
        let cases: [([Node], GraphError.Kind)] = [
            ([c, s, m("a", [2, 4]), m("b", [5, 3]), s], .shape),     // inner sizes differ
            ([m("c2", [3, 3]), s, m("a", [2, 4]), m("b", [4, 3]), s], .shape),   // accumulator misfit
            ([c, m("v", [2]), m("a", [2, 4]), m("b", [4, 3]), s], .shape),   // alpha not a scalar
            ([c, s, m("a", [2, 4]), m("b", [4, 3])], .argument),    // arity
        ]
        for (inputs, kind) in cases {
            let node = Node.make(.gemm(transA: false, transB: false), inputs, at: adHere)
            #expect(node.error?.kind == kind, "\(String(describing: node.error))")
            #expect(node.error?.location == adHere)
        }
        let ints = Build.input("i", dtype: .int32, shape: [2, 2], at: adHere), si = Build.input("k", dtype: .int32, shape: [], at: adHere)
        #expect(Node.make(.gemm(transA: false, transB: false), [ints, si, ints, ints, si], at: adHere).error?.kind == .dtype)
    }
}
