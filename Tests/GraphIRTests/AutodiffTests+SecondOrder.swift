import GraphIR
import Testing
import TensorRuntime

/// Second order: every table row's gradient is itself differentiated and checked against
/// central differences, so every vjp rule is exercised as a function of its inputs.
@Suite struct AutodiffSecondOrderTests {
    static let rows = ElementwiseGradCases.unaryRows + ElementwiseGradCases.binaryRows
        + ElementwiseGradCases.otherRows + ReduceGradCases.rows + LinalgGradCases.rows
        + NNGradCases.rows + ShapeGradCases.rows

    /// d/d(inputs) of sum(∂[sum(f·w1)]/∂x₀ · w2), where x₀ is the row's first float input.
    /// Inputs the first gradient does not depend on (linear ops) get zeros, not an error.
    @Test(arguments: rows)
    func gradientOfGradient(_ row: GradCase) throws {
        let probe = adInputs(row.args)
        let outShape = try adEvaluate([row.build(probe)], inputs: probe, row.args.map(\.value))[0].shape
        let first = try #require(row.args.firstIndex { $0.value.dtype.isFloatingPoint })
        try adCheckGradients(row.args, rtol: 1e-4, disconnected: .zero) { nodes in
            let cost = adWeightedSum(row.build(nodes), shape: outShape, seed: 11)
            return gradients(of: cost, wrt: [nodes[first]], disconnected: .zero, at: adHere)[0]
        }
    }
}
