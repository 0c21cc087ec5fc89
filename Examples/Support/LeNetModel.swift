import HypatiaNN

/// The LeNet of the examples: conv 5×5 (20 filters) → relu → max-pool 2×2 → conv 5×5 (50
/// filters) → relu → max-pool 2×2 → dropout → dense 500 (relu) → dropout → softmax (10).
///
/// Shared by the LeNet example (which trains and saves it) and the TransferLearning example
/// (which loads it, freezes the convolutional trunk and trains a new head).
public struct LeNetModel {
    /// The images as rows of 784 pixels, viewed as 1×28×28 by the network.
    public let input: InputLayer
    /// The convolutional layers (their parameters are the trunk's).
    public let convolutions: [Conv2DLayer]
    /// The output of the convolutional trunk: 50 maps of 4×4.
    public let trunk: MaxPool2DLayer
    /// The classifier: softmax probabilities of the 10 digits.
    public let network: DenseLayer

    /// Builds the network on `x` (a [batch, 784] float32 matrix).
    public init(_ x: Variable, dropout: Double = 0.5) {
        input = InputLayer(shape: [nil, 784], input: x, name: "input")
        let images = ReshapeLayer(input, shape: [.input(0), 1, 28, 28], name: "images")
        let conv1 = Conv2DLayer(images, filters: 20, filterSize: (5, 5), nonlinearity: .rectify, name: "conv1")
        let pool1 = MaxPool2DLayer(conv1, poolSize: (2, 2), name: "pool1")
        let conv2 = Conv2DLayer(pool1, filters: 50, filterSize: (5, 5), nonlinearity: .rectify, name: "conv2")
        convolutions = [conv1, conv2]
        trunk = MaxPool2DLayer(conv2, poolSize: (2, 2), name: "pool2")
        network = Self.classifier(on: trunk, dropout: dropout, name: "")
    }

    /// A new classifier head (dropout → dense 500 relu → dropout → softmax) on top of `layer`;
    /// `name` prefixes the layer names.
    public static func classifier(on layer: any Layer, dropout: Double = 0.5, name: String) -> DenseLayer {
        let dense = DenseLayer(DropoutLayer(layer, p: dropout), units: 500, nonlinearity: .rectify, name: name + "dense")
        return DenseLayer(DropoutLayer(dense, p: dropout), units: 10, nonlinearity: .softmax, name: name + "output")
    }
}

/// The mean cross-entropy and error rate of `network`'s deterministic output for labels `y`.
public func classificationScores(_ network: any Layer, _ y: Variable) -> (loss: Variable, error: Variable) {
    let p = getOutput(network, deterministic: true)
    return (categoricalCrossentropy(p, y).mean(), neq(argmax(p, axis: 1), y).mean())
}
