import Testing
import TensorRuntime
@testable import GraphIR

/// Gradients of conv2d and pool2d against central differences (float64), first and second order.
@Suite struct ConvGradientTests {
    static let convAttrs: [Conv2DAttributes] = [
        Conv2DAttributes(),
        Conv2DAttributes(borderMode: .full, filterFlip: false),
        Conv2DAttributes(borderMode: .half, stride: (2, 2), groups: 2),
        Conv2DAttributes(borderMode: .explicit(1, 0), stride: (2, 1), dilation: (2, 2)),
    ]

    @Test(arguments: convAttrs)
    func convFirstOrder(_ a: Conv2DAttributes) throws {
        let args = [GradArg.random("x", [2, 2, 5, 6], seed: 1), GradArg.random("w", [2, 2 / a.groups, 3, 2], seed: 2)]
        try adCheckGradients(args) { v in Build.conv2d(v[0], v[1], a, at: adHere) }
    }

    /// Gradients of ∂cost/∂x and ∂cost/∂w with respect to both x and w (every conv vjp rule).
    @Test(arguments: convAttrs)
    func convSecondOrder(_ a: Conv2DAttributes) throws {
        let args = [GradArg.random("x", [1, 2, 6, 5], seed: 3), GradArg.random("w", [2, 2 / a.groups, 2, 3], seed: 4)]
        let probe = adInputs(args)
        let shape = try adEvaluate([Build.conv2d(probe[0], probe[1], a, at: adHere)], inputs: probe,
                                   args.map(\.value))[0].shape
        for which in 0..<2 {
            try adCheckGradients(args, rtol: 1e-4, disconnected: .zero) { v in
                let cost = adWeightedSum(Build.conv2d(v[0], v[1], a, at: adHere), shape: shape, seed: 11)
                let g = gradients(of: cost, wrt: [v[which]], disconnected: .zero, at: adHere)[0]
                return adBinary(.mul, g, g)
            }
        }
    }

    static let poolAttrs: [Pool2DAttributes] = PoolMode.allCases.flatMap { mode in [
        Pool2DAttributes(mode: mode, window: (2, 2)),
        Pool2DAttributes(mode: mode, window: (3, 2), stride: (2, 1), ignoreBorder: false),
        Pool2DAttributes(mode: mode, window: (3, 3), stride: (2, 2), padding: (1, 1)),
    ] }

    /// Random inputs have distinct values, so max pooling is differentiable at them.
    @Test(arguments: poolAttrs)
    func poolFirstOrder(_ a: Pool2DAttributes) throws {
        try adCheckGradients([GradArg.random("x", [2, 1, 5, 5], seed: 5)]) { v in Build.pool2d(v[0], a, at: adHere) }
    }

    /// Pooling gradients are differentiable again (second order through pool2dGrad and, for
    /// max, pool2dGradGrad). Random inputs keep maxima away from ties.
    @Test(arguments: poolAttrs)
    func poolSecondOrder(_ a: Pool2DAttributes) throws {
        let args = [GradArg.random("x", [1, 1, 5, 5], seed: 6)]
        try adCheckGradients(args, rtol: 1e-4, disconnected: .zero) { v in
            let y = Build.pool2d(v[0], a, at: adHere)
            let g = gradients(of: adSum(adBinary(.mul, y, y)), wrt: [v[0]], at: adHere)[0]
            return adBinary(.mul, g, v[0])
        }
    }

    /// pool2dGradGrad is the adjoint of pool2dGrad in the cotangent: ⟨h, G(x, gy)⟩ = ⟨GG(x, h), gy⟩.
    @Test(arguments: poolAttrs)
    func gradGradIsAdjoint(_ a: Pool2DAttributes) throws {
        let x = ConvRef.random([2, 5, 5], seed: 1), h = ConvRef.random([2, 5, 5], seed: 2)
        let gy = ConvRef.random(ConvRef.pool2d(x, a).shape, seed: 3)
        let gx = try IT.eval(.pool2dGrad(a), [x.tensor(), gy.tensor()])
        let gh = try IT.eval(.pool2dGradGrad(a), [x.tensor(), h.tensor()])
        let lhs = zip(h.values, gx.scalars).map(*).reduce(0, +)
        let rhs = zip(gh.scalars, gy.values).map(*).reduce(0, +)
        #expect(abs(lhs - rhs) < 1e-12, "\(lhs) vs \(rhs)")
    }
}
