// Transfer learning on MNIST: reuse the convolutional layers the LeNet example trained.
//
// Loads output/lenet.npz (run the LeNet example first), freezes the two convolutional layers
// and trains a NEW classifier head (dense 500 relu → softmax) on only the first 1 000
// training images. For comparison, the same head is trained on the same 1 000 images on top
// of untrained (randomly initialised, frozen) convolutional layers. The frozen parameters are
// checked to be unchanged after training.
//
// Environment: LENET_PARAMS (default output/lenet.npz), EXAMPLES (default 1000), EPOCHS
// (default 40), OUTPUT_DIR (default "output"): transfer_head.npz, transfer.svg.
import ExampleSupport
import Foundation
import HypatiaNN

let setup = try ExampleSetup()
let (mnist, split) = (setup.mnist, setup.split)
let savedLeNet = ExampleSetup.environment["LENET_PARAMS"] ?? setup.output("lenet.npz")
let labeledCount = ExampleSetup.integer("EXAMPLES", default: 1000)
let epochs = ExampleSetup.integer("EPOCHS", default: 40)
guard FileManager.default.fileExists(atPath: savedLeNet) else {
    print("No trained LeNet at \(savedLeNet): run `swift run -c release LeNet` first (or set LENET_PARAMS).")
    exit(1)
}
let few = Array(0..<labeledCount)
let fewImages = try split.trainImages.rows(few), fewLabels = try split.trainLabels.rows(few)
print("Training new heads on \(labeledCount) labeled images; validation and test as usual.")
setRandomSeed(99)

/// Trains a new head on top of `model`'s trunk (the trunk frozen); returns the test error.
func trainHead(on model: LeNetModel, x: Variable, y: Variable, name: String) throws -> Double {
    let frozen = allParameters(of: model.trunk)
    let head = LeNetModel.classifier(on: model.trunk, name: "new.")
    let trainable = allParameters(of: head, trainable: true).filter { !frozen.contains($0) }
    let before = frozen.map(\.value)
    let loss = categoricalCrossentropy(getOutput(head), y).mean()
    let train = try function(inputs: [x, y], outputs: [loss],
                             updates: adam(loss, params: trainable, learningRate: 0.001), name: name)
    let scores = classificationScores(head, y)
    let validate = try function(inputs: [x, y], outputs: [scores.loss, scores.error], name: name + "_validate")
    let trainer = Trainer(batchSize: 50, maxEpochs: epochs, seed: 3, earlyStopping: .epochsWithoutImprovement(8),
                          parameters: trainable)
    let history = try trainer.fit(train, inputs: [fewImages, fewLabels],
                                  validation: Validation(validate, inputs: [split.validationImages,
                                                                            split.validationLabels],
                                                         outputs: .lossAndError, batchSize: 500))
    let unchanged = zip(frozen.map(\.value), before).allSatisfy { $0.scalars(as: Float.self) == $1.scalars(as: Float.self) }
    let test = try evaluateInBatches(validate, inputs: [mnist.testImages, mnist.testLabels], batchSize: 500)[1]
    print(String(format: "%@: %d trainable tensors, frozen trunk unchanged: %@, test error %.2f %% (%d epochs, %.0f s)",
                 name, trainable.count, unchanged ? "yes" : "NO", test * 100, history.epochs.count, history.seconds))
    if name == "transfer" {
        try saveParameters(of: head, to: setup.output("transfer_head.npz"))
        try LearningCurve(history, title: "New head on LeNet's frozen convolutions").write(to: setup.output("transfer.svg"))
    }
    return test
}

let x = matrix("x", shape: [nil, 784])
let y = vector("y", dtype: .int32)
let pretrained = LeNetModel(x)
try loadParameters(of: pretrained.network, from: savedLeNet)
print("Loaded \(allParameters(of: pretrained.network).count) parameter tensors from \(savedLeNet)")
let transferred = try trainHead(on: pretrained, x: x, y: y, name: "transfer")
let scratch = try trainHead(on: LeNetModel(x), x: x, y: y, name: "random-trunk")
print(String(format: "Transfer learning: test error %.2f %% with LeNet's trained convolutions, %.2f %% with random ones",
             transferred * 100, scratch * 100))
