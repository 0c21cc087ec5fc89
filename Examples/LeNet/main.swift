// LeNet on MNIST: the convnet of the Theano tutorial (convolutional_mlp.py) with HypatiaNN.
//
// conv 5×5 (20 filters) → relu → max-pool 2×2 → conv 5×5 (50 filters) → relu → max-pool 2×2
// → dropout → dense 500 (relu) → dropout → softmax over 10 classes. Adam (learning rate
// 0.001) on minibatches of 100, validation on the last 10 000 training images after every
// epoch, stopping after 5 epochs without improvement, after MAX_MINUTES of training, or after
// EPOCHS epochs; the best parameters are kept. The Theano tutorial reaches 0.91 % test error
// with tanh units and plain SGD after 200 epochs.
//
// Environment: EPOCHS (default 30), MAX_MINUTES (default 12), OUTPUT_DIR (default "output"):
// lenet.npz (the parameters, read by the TransferLearning example), lenet.csv, lenet.svg.
import ExampleSupport
import Foundation
import HypatiaNN

let setup = try ExampleSetup()
let (mnist, split) = (setup.mnist, setup.split)
let maxEpochs = ExampleSetup.integer("EPOCHS", default: 30)
let maxMinutes = ExampleSetup.number("MAX_MINUTES", default: 12)

// The network (Examples/Support/LeNetModel.swift). Images arrive as rows of 784 pixels.
setRandomSeed(20_151_122)
let x = matrix("x", shape: [nil, 784])
let y = vector("y", dtype: .int32)
let network = LeNetModel(x).network

let loss = categoricalCrossentropy(getOutput(network), y).mean()
let parameters = allParameters(of: network, trainable: true)
let train = try function(inputs: [x, y], outputs: [loss],
                         updates: adam(loss, params: parameters, learningRate: 0.001), name: "train")
let scores = classificationScores(network, y)
let validate = try function(inputs: [x, y], outputs: [scores.loss, scores.error], name: "validate")

// Training, within the time budget.
let start = Date()
let trainer = Trainer(batchSize: 100, maxEpochs: maxEpochs, seed: 7, earlyStopping: .epochsWithoutImprovement(5),
                      parameters: parameters, onEpochEnd: { _ in Date().timeIntervalSince(start) < maxMinutes * 60 })
let history = try trainer.fit(train, inputs: [split.trainImages, split.trainLabels],
                              validation: Validation(validate, inputs: [split.validationImages,
                                                                        split.validationLabels],
                                                     outputs: .lossAndError, batchSize: 500))
let test = try evaluateInBatches(validate, inputs: [mnist.testImages, mnist.testLabels], batchSize: 500)

try saveParameters(of: network, to: setup.output("lenet.npz"))
try history.writeCSV(to: setup.output("lenet.csv"))
try LearningCurve(history, title: "LeNet (20, 50 filters 5×5, dense 500), Adam 0.001").write(to: setup.output("lenet.svg"))
print(String(format: "LeNet: best validation error %.2f %% (epoch %d), test error %.2f %%, %d epochs, %.0f s (%@)",
             (history.bestValidationScore ?? .nan) * 100, history.bestEpoch ?? 0, test[1] * 100,
             history.epochs.count, history.seconds, history.stopReason.rawValue))
print("Wrote \(setup.outputDirectory)/lenet.npz, lenet.csv, lenet.svg")
