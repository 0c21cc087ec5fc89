import HypatiaNN
import HypatiaTestSupport
import Testing

@Suite struct LayerTrainingTests {
    /// A two-layer dense network fitted with plain SGD (the update rule written inline) lowers
    /// its squared error on a smooth target by a large factor.
    @Test func sgdOnSmallDenseNetLowersLoss() throws {
        let input = InputLayer(shape: [nil, 2])
        var generator = RandomGenerator(seed: 41)
        let hidden = DenseLayer(input, units: 16,
                                W: .value(try GlorotUniform().sample(shape: [2, 16], dtype: .float32, generator: &generator)),
                                nonlinearity: .tanh)
        let output = DenseLayer(hidden, units: 1,
                                W: .value(try GlorotUniform().sample(shape: [16, 1], dtype: .float32, generator: &generator)),
                                nonlinearity: .linear)
        let target = matrix("t")
        let loss = pow(getOutput(output) - target, 2).mean()
        let params = allParameters(of: output, trainable: true)
        let grads = grad(loss, wrt: params)
        let updates = zip(params, grads).map { ($0, $0 - 0.2 * $1) }
        let train = try function(inputs: [input.input, target], outputs: [loss], updates: updates)
        let xs = RandomData.uniform([64, 2], in: -1...1, seed: 42)
        let ts: [Double] = (0..<64).map { (i: Int) -> Double in
            let (a, b): (Double, Double) = (xs.values[2 * i], xs.values[2 * i + 1])
            return a * b + 0.5 * a
        }
        let x = xs.tensor(.float32)
        let t = try Tensor(shape: [64, 1], values: ts, dtype: .float32)
        let first = try train(x, t)[0].scalar
        var last = first
        for _ in 0..<300 { last = try train(x, t)[0].scalar }
        #expect(last < first / 4, "loss \(first) → \(last)")
    }
}
