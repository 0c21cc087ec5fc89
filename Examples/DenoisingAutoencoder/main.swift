// Autoencoders on MNIST: the Theano tutorials' denoising autoencoder (dA.py) and its
// contractive variant (cA.py), written with HypatiaNN layers and tied weights.
//
// Denoising: 784 → 500 sigmoid units → 784 sigmoid reconstruction, decoder weights tied to
// the encoder's (W and Wᵀ are one shared variable), 30 % of the input pixels zeroed at random
// (masking noise: a dropout layer without rescaling), cross-entropy reconstruction cost summed
// over pixels, SGD with learning rate 0.1 on minibatches of 20, 15 epochs.
// Contractive: the same autoencoder without corruption, plus 0.1 · the squared Frobenius norm
// of the encoder's Jacobian, Σⱼ (hⱼ(1 - hⱼ))² Σᵢ Wᵢⱼ², learning rate 0.01.
//
// Each writes its 500 learned filters as a 20×25 grid of 28×28 images (PNG), its parameters
// (.npz) and its learning curve (.svg). Environment: EPOCHS (default 15), OUTPUT_DIR.
import ExampleSupport
import HypatiaNN

let setup = try ExampleSetup()
let (mnist, split) = (setup.mnist, setup.split)
let epochs = ExampleSetup.integer("EPOCHS", default: 15)
setRandomSeed(123)

/// An autoencoder with tied weights over `x`: the encoder, the decoder and the hidden code.
struct TiedAutoencoder {
    let encoder: DenseLayer
    let decoder: DenseLayer

    /// `corruption` of the input pixels are zeroed during training (none at evaluation).
    init(_ x: Variable, hiddenUnits: Int, corruption: Double) {
        let input = InputLayer(shape: [nil, 784], input: x, name: "input")
        let corrupted: any Layer = corruption > 0 ? DropoutLayer(input, p: corruption, rescale: false, name: "corrupt") : input
        // Theano's sigmoid initialisation: uniform ±4·sqrt(6 / (fan in + fan out)).
        encoder = DenseLayer(corrupted, units: hiddenUnits, W: .initializer(GlorotUniform(gain: 4)),
                             nonlinearity: .sigmoid, name: "encoder")
        decoder = DenseLayer(encoder, units: 784, W: .variable(encoder.W.T), nonlinearity: .sigmoid, name: "decoder")
    }

    /// The mean over the batch of the reconstruction cross-entropy summed over pixels.
    func reconstructionCost(_ x: Variable, deterministic: Bool) -> Variable {
        let z = getOutput(decoder, deterministic: deterministic)
        return binaryCrossentropy(z, x).sum(axis: 1).mean()
    }
}

/// Trains `cost` with SGD for `epochs` epochs, then reports and writes filters, parameters
/// and the learning curve under `name`.
func train(_ model: TiedAutoencoder, x: Variable, cost: Variable, learningRate: Double, name: String,
           title: String) throws {
    let parameters = allParameters(of: model.decoder, trainable: true)
    print("\(title): parameters \(parameters.map(\.name)) (W is shared by encoder and decoder)")
    let trainStep = try function(inputs: [x], outputs: [cost],
                                 updates: sgd(cost, params: parameters, learningRate: learningRate), name: name)
    let evaluate = try function(inputs: [x], outputs: [model.reconstructionCost(x, deterministic: true)],
                                name: name + "_eval")
    let trainer = Trainer(batchSize: 20, maxEpochs: epochs, shuffle: false, parameters: parameters, restoreBest: false)
    let history = try trainer.fit(trainStep, inputs: [split.trainImages],
                                  validation: Validation(evaluate, inputs: [split.validationImages],
                                                         outputs: .loss, batchSize: 500))
    let test = try evaluateInBatches(evaluate, inputs: [mnist.testImages], batchSize: 500)[0]
    let weights = allParameters(of: model.encoder, regularizable: true)[0]   // W (biases are not regularizable)
    try writeFilterImage(weights: weights.value, to: setup.output(name + "_filters.png"),
                         tileShape: (20, 25))
    try saveParameters(of: model.decoder, to: setup.output(name + ".npz"))
    try LearningCurve(history, title: title).write(to: setup.output(name + ".svg"))
    print(String(format: "%@: training cost %.2f, test reconstruction cross-entropy %.2f per image, %d epochs, %.0f s",
                 title, history.epochs.last?.trainLoss ?? .nan, test, history.epochs.count, history.seconds))
    print("Wrote \(setup.outputDirectory)/\(name)_filters.png, \(name).npz, \(name).svg")
}

// Denoising autoencoder, 30 % corruption.
let x = matrix("x", shape: [nil, 784])
let denoising = TiedAutoencoder(x, hiddenUnits: 500, corruption: 0.3)
try train(denoising, x: x, cost: denoising.reconstructionCost(x, deterministic: false), learningRate: 0.1,
          name: "dae", title: "Denoising autoencoder (30 % corruption)")

// Contractive autoencoder: reconstruction + 0.1 · ‖∂h/∂x‖²_F (mean over the batch).
let contractive = TiedAutoencoder(x, hiddenUnits: 500, corruption: 0)
let h = getOutput(contractive.encoder)
let slope = h * (1 - h), W = contractive.encoder.W
let jacobianNorm = (slope * slope * sum(W * W, axis: 0)).sum(axis: 1).mean()
try train(contractive, x: x, cost: contractive.reconstructionCost(x, deterministic: false) + 0.1 * jacobianNorm,
          learningRate: 0.01, name: "cae", title: "Contractive autoencoder (level 0.1)")
