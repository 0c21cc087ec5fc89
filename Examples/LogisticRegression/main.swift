// Softmax regression on MNIST: the classic Theano tutorial model (logistic_sgd.py).
//
// 50 000 training images, the last 10 000 of the training file as validation set, minibatches
// of 600, learning rate 0.13, zero-initialised parameters, and Theano's patience-based early
// stopping. The tutorial reaches 7.49 % test error.
import Foundation
import Hypatia
import HypatiaData

let batchSize = 600
let learningRate = 0.13
let maxEpochs = Int(ProcessInfo.processInfo.environment["EPOCHS"] ?? "") ?? 1000

let mnist = try MNIST.load(from: MNIST.defaultDirectory())
let split = try splitTrainValidation(images: mnist.trainImages, labels: mnist.trainLabels, validationCount: 10_000)
print("MNIST: \(split.trainImages.shape[0]) train, \(split.validationImages.shape[0]) validation, "
      + "\(mnist.testImages.shape[0]) test images")

// The model.
let x = matrix("x", shape: [nil, 784])
let y = vector("y", dtype: .int32)
let lr = scalar("lr")
let W = shared(Tensor(zeros: [784, 10]), name: "W")
let b = shared(Tensor(zeros: [10]), name: "b")

let p = softmax(dot(x, W) + b)
let cost = categoricalCrossentropy(p, y).mean()
let errors = neq(argmax(p, axis: 1), y).mean()
let g = grad(cost, wrt: [W, b])

let train = try function(inputs: [x, y, lr], outputs: [cost],
                         updates: [(W, W - lr * g[0]), (b, b - lr * g[1])], name: "train")
let evaluate = try function(inputs: [x, y], outputs: [errors], name: "errors")

/// Mean error over a dataset, in batches.
func errorRate(_ images: Tensor, _ labels: Tensor) throws -> Double {
    let n = images.shape[0]
    var wrong = 0.0
    for batch in Minibatches(count: n, batchSize: batchSize, shuffle: false) {
        let e = try evaluate(try images.rows(batch), try labels.rows(batch))[0].scalar
        wrong += e * Double(batch.count)
    }
    return wrong / Double(n)
}

// Early stopping exactly as in the tutorial.
let trainCount = split.trainImages.shape[0]
let batchesPerEpoch = trainCount / batchSize
var patience = 5000
let patienceIncrease = 2
let improvementThreshold = 0.995
let validationFrequency = min(batchesPerEpoch, patience / 2)
var bestValidation = Double.infinity
var testAtBest = Double.infinity
var iteration = 0
var epoch = 0
let start = Date()
var done = false

while epoch < maxEpochs && !done {
    epoch += 1
    var lastCost = 0.0
    for batch in Minibatches(count: trainCount, batchSize: batchSize, shuffle: false, dropLast: true) {
        lastCost = try train(try split.trainImages.rows(batch), try split.trainLabels.rows(batch), learningRate)[0].scalar
        iteration += 1
        if iteration % validationFrequency == 0 {
            let validation = try errorRate(split.validationImages, split.validationLabels)
            if validation < bestValidation {
                if validation < bestValidation * improvementThreshold {
                    patience = max(patience, iteration * patienceIncrease)
                }
                bestValidation = validation
                testAtBest = try errorRate(mnist.testImages, mnist.testLabels)
            }
        }
        if patience <= iteration {
            done = true
            break
        }
    }
    let seconds = Date().timeIntervalSince(start)
    print(String(format: "epoch %3d  cost %.4f  validation error %.3f %%  test error at best %.3f %%  (%.1f s)",
                 epoch, lastCost, bestValidation * 100, testAtBest * 100, seconds))
}

print(String(format: "Optimization complete: best validation error %.3f %%, test error %.3f %%, %d epochs, %.1f s",
             bestValidation * 100, testAtBest * 100, epoch, Date().timeIntervalSince(start)))
