import Foundation
import Hypatia
import HypatiaTestSupport
import Testing

@Suite struct OptimizerMLPTests {
    @Test func explore() throws {
        let x = matrix("x", shape: [nil, 784]), y = vector("y", dtype: .int32), lr = scalar("lr")
        let W1 = shared(Tensor(zeros: [784, 500]), name: "W1"), b1 = shared(Tensor(zeros: [500]), name: "b1")
        let W2 = shared(Tensor(zeros: [500, 10]), name: "W2"), b2 = shared(Tensor(zeros: [10]), name: "b2")
        let h = tanh(dot(x, W1) + b1)
        let p = softmax(dot(h, W2) + b2)
        let cost = categoricalCrossentropy(p, y).mean()
        let params = [W1, b1, W2, b2]
        let g = grad(cost, wrt: params)
        let updates = zip(params, g).map { ($0, $0 - lr * $1) }
        let unopt = try function(inputs: [x, y, lr], outputs: [cost], updates: updates, optimizer: .none, name: "train")
        let train = try function(inputs: [x, y, lr], outputs: [cost], updates: updates, name: "train")
        print(unopt.dump(.graph))
        print(train.dump(.graph))
        print(train.dump(.report))
    }
}
