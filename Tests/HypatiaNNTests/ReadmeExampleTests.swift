import Foundation
import HypatiaNN
import HypatiaTestSupport
import Testing

/// The README's "first network" compiles and trains (on separable random data instead of MNIST,
/// for speed), so the snippet stays true to the API.
@Suite struct ReadmeExampleTests {
    @Test func firstNetworkTrainsAndSaves() throws {
        // Two classes separated by the sign of the first pixel.
        var generator = RandomGenerator(seed: 5)
        let images = Tensor(randomUniform: [400, 784], in: -1...1, dtype: .float32, generator: &generator)
        let labels = try Tensor(shape: [400], scalars: (0..<400).map { Int32(images.double(at: $0 * 784) > 0 ? 1 : 0) })

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

        let history = try Trainer(batchSize: 100, maxEpochs: 8, earlyStopping: .epochsWithoutImprovement(5),
                                  parameters: params, progress: .silent)
            .fit(train, inputs: [images, labels], validation: Validation(validate, inputs: [images, labels]))
        let testError = try evaluateInBatches(validate, inputs: [images, labels], batchSize: 500)[0]
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
