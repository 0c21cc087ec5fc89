import Foundation
import Hypatia
import Testing

/// The DESIGN.md §1 snippet, on a tiny synthetic 3-class problem.
@Suite struct ContractTests {
    /// 30 points in 4-d around three class centres (deterministic jitter), labels int32.
    static func data() throws -> (Tensor, Tensor) {
        let centres: [[Double]] = [[2, 0, 0, 1], [0, 2, 0, -1], [0, 0, 2, 0]]
        var xs: [Double] = [], ys: [Int32] = []
        for i in 0..<30 {
            let c = i % 3
            for j in 0..<4 { xs.append(centres[c][j] + 0.3 * sin(Double(7 * i + 3 * j))) }
            ys.append(Int32(c))
        }
        return (try f32([30, 4], xs), try Tensor(shape: [30], scalars: ys))
    }

    @Test func logisticRegressionTrains() throws {
        let x  = matrix("x", shape: [nil, 4])
        let y  = vector("y", dtype: .int32)
        let lr = scalar("lr")
        let W  = shared(Tensor(zeros: [4, 3]), name: "W")
        let b  = shared(Tensor(zeros: [3]), name: "b")

        let p     = softmax(dot(x, W) + b)
        let cost  = categoricalCrossentropy(p, y).mean()
        let wrong = neq(argmax(p, axis: 1), y).mean()
        let g     = grad(cost, wrt: [W, b])

        let train = try function(inputs: [x, y, lr], outputs: [cost],
                                 updates: [(W, W - lr * g[0]), (b, b - lr * g[1])])
        let errors = try function(inputs: [x, y], outputs: [wrong])
        let (xBatch, yBatch) = try Self.data()

        let first = try train(xBatch, yBatch, Tensor(0.5))[0].scalar
        #expect(Swift.abs(first - log(3.0)) < 1e-5)   // W = 0, b = 0: uniform predictions
        var loss = first
        for _ in 0..<50 { loss = try train(xBatch, yBatch, Tensor(0.5))[0].scalar }
        #expect(loss < 0.2 * first)
        #expect(try errors(xBatch, yBatch)[0].scalar == 0)
        #expect(W.value.shape == [4, 3] && W.value.dtype == .float32)
        #expect(train.outputCount == 1 && train.inputs == [x, y, lr])
        let text = train.dump(.graph)   // the optimizer turns dot(x, W) + b and the update into gemm
        #expect(text.contains("gemm") && text.contains("updates %W = ") && text.contains("%b = "), "\(text)")
    }

    /// One SGD step of the snippet matches a float64 hand computation.
    @Test func firstStepMatchesReference() throws {
        let x = matrix("x", shape: [nil, 2]), y = vector("y", dtype: .int32)
        let W = shared(Tensor(zeros: [2, 2]), name: "W")
        let cost = categoricalCrossentropy(softmax(dot(x, W)), y).mean()
        let step = try function(inputs: [x, y], outputs: [cost], updates: [(W, W - 1.0 * grad(cost, wrt: W))])
        _ = try step(try f32([2, 2], [1, 0, 0, 2]), try Tensor(shape: [2], scalars: [Int32(0), 1]))
        // p = 0.5 everywhere; dCost/dW = x^T (p - onehot) / n = [[-0.25, 0.25], [0.5, -0.5]]
        #expect(close(W.value.scalars, [0.25, -0.25, -0.5, 0.5]))
    }
}
