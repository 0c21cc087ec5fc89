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

@Suite struct LayerNetworkTests {
    /// A tiny convnet with batch norm and dropout (the docs' LeNet shape, scaled down) trains:
    /// loss finite and falling, running averages moved by training calls only.
    @Test func smallConvnetTrainsAndTestsWithoutUpdatingAverages() throws {
        let input = InputLayer(shape: [nil, 1, 6, 6])
        let conv = Conv2DLayer(input, filters: 2, filterSize: (3, 3), pad: .same)
        let norm = BatchNormLayer(conv)
        let pool = MaxPool2DLayer(norm, poolSize: (2, 2))
        let net = DenseLayer(DropoutLayer(pool, p: 0.2, seed: 3), units: 3, nonlinearity: .softmax)
        #expect(net.outputShape == [nil, 3])
        let y = vector("y", dtype: .int32)
        let loss = categoricalCrossentropy(getOutput(net), y).mean()
            + 1e-4 * regularizeNetworkParameters(net, penalty: { ($0 * $0).sum() })
        let params = allParameters(of: net, trainable: true)
        #expect(params.count == 6)
        let updates = zip(params, grad(loss, wrt: params)).map { ($0, $0 - 0.5 * $1) }
        let train = try function(inputs: [input.input, y], outputs: [loss], updates: updates)
        let test = try function(inputs: [input.input], outputs: [getOutput(net, deterministic: true)])
        let x = RandomData.uniform([6, 1, 6, 6], in: -1...1, seed: 51).tensor(.float32)
        let labels = try Tensor(shape: [6], scalars: [0, 1, 2, 0, 1, 2] as [Int32])
        let before = norm.mean!.value
        _ = try test(x)
        #expect(norm.mean!.value == before)
        let first = try train(x, labels)[0].scalar
        #expect(norm.mean!.value != before)
        var last = first
        for _ in 0..<20 { last = try train(x, labels)[0].scalar }
        #expect(last.isFinite && last < first)
        let afterTraining = norm.mean!.value
        #expect(try test(x)[0].shape == [6, 3])
        #expect(norm.mean!.value == afterTraining)
    }

    @Test func getOutputInputFormsAndErrors() throws {
        let a = InputLayer(shape: [nil, 2])
        let b = InputLayer(shape: [nil, 2])
        let sum = ElemwiseSumLayer([a, b])
        #expect(throws: GraphError.self) { try getOutput(sum, input: matrix("x")).check() }
        let x = matrix("x")
        let byIdentifier = getOutput(sum, inputs: [ObjectIdentifier(a): x, ObjectIdentifier(b): x])
        let f = try function(inputs: [x], outputs: [byIdentifier])
        #expect(try f(Tensor(ones: [1, 2]))[0].scalars == [2, 2])
        let both = getOutput([a, sum], inputs: [(a, x)])
        let g = try function(inputs: [x, b.input], outputs: both)
        #expect(try g(Tensor(ones: [1, 2]), Tensor(ones: [1, 2]))[1].scalars == [2, 2])
    }
}
