import Foundation
import HypatiaNN
import HypatiaTestSupport
import Testing

/// The README's "first network" compiles and trains (on separable random data instead of MNIST,
/// for speed, with the README's held-out validation split and a separate test set), so the
/// snippet stays true to the API.
@Suite struct ReadmeExampleTests {
    @Test func firstNetworkTrainsAndSaves() throws {
        // Two classes: the first 50 pixels are +0.5 for class 1 and -0.5 for class 0, the rest
        // noise in [-1, 1), so held-out examples can be told apart.
        var generator = RandomGenerator(seed: 5)
        let noise = Tensor(randomUniform: [400, 784], in: -1...1, dtype: .float32, generator: &generator)
        let classes = (0..<400).map { Int32($0 % 2) }
        let pixels = (0..<400 * 784).map { i -> Float in
            i % 784 < 50 ? (classes[i / 784] == 1 ? 0.5 : -0.5) : Float(noise.double(at: i))
        }
        let images = try Tensor(shape: [400, 784], scalars: pixels)
        let labels = try Tensor(shape: [400], scalars: classes)

        let x = matrix("x", shape: [nil, 784]), y = vector("y", dtype: .int32)
        let input  = InputLayer(shape: [nil, 784], input: x)
        let hidden = DenseLayer(input, units: 500, nonlinearity: .tanh)
        let net    = DenseLayer(DropoutLayer(hidden, p: 0.5), units: 10, nonlinearity: .softmax)

        let loss   = categoricalCrossentropy(getOutput(net), y).mean()
                   + 1e-4 * regularizeNetworkParameters(net, penalty: l2)
        let params = allParameters(of: net, trainable: true)
        let train  = try function(inputs: [x, y], outputs: [loss],
                                  updates: adam(loss, params: params, learningRate: 0.001))
        let errors = neq(argmax(getOutput(net, deterministic: true), axis: 1), y).mean()
        let validate = try function(inputs: [x, y], outputs: [errors])

        let split = try splitTrainValidation(images: try images.rows(Array(0..<300)),
                                             labels: try labels.rows(Array(0..<300)), validationCount: 100)
        let history = try Trainer(batchSize: 100, maxEpochs: 8, earlyStopping: .epochsWithoutImprovement(5),
                                  parameters: params, progress: .silent)
            .fit(train, inputs: [split.trainImages, split.trainLabels],
                 validation: Validation(validate, inputs: [split.validationImages, split.validationLabels]))
        let testError = try evaluateInBatches(validate, inputs: [try images.rows(Array(300..<400)),
                                                                 try labels.rows(Array(300..<400))], batchSize: 500)[0]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try saveParameters(of: net, to: directory + "/mlp.npz")
        try LearningCurve(history).write(to: directory + "/mlp.svg")

        #expect(params.count == 4)
        #expect(history.epochs.last!.trainLoss < history.epochs.first!.trainLoss)
        #expect((history.bestValidationScore ?? 1) < 0.1)
        #expect(testError < 0.1)
        #expect(FileManager.default.fileExists(atPath: directory + "/mlp.npz"))
    }
}
