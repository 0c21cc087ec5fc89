import Foundation
import Hypatia
import Testing

/// The W2 network: 784-500 tanh, 10-way softmax, mean cross-entropy, SGD updates. Compiling
/// its training function runs the optimizer by default; the report shows the stable forms.
@Suite struct OptimizerMLPTests {
    /// Fresh parameters (small uniform weights from a fixed seed) and the training function.
    static func trainer(_ optimizer: GraphOptimizer) throws -> (CompiledFunction, [SharedVariable]) {
        var rng = RandomGenerator(seed: 17)
        let x = matrix("x", shape: [nil, 784]), y = vector("y", dtype: .int32), lr = scalar("lr")
        let W1 = shared(Tensor(randomUniform: [784, 500], in: -0.05...0.05, generator: &rng), name: "W1")
        let b1 = shared(Tensor(zeros: [500]), name: "b1")
        let W2 = shared(Tensor(randomUniform: [500, 10], in: -0.1...0.1, generator: &rng), name: "W2")
        let b2 = shared(Tensor(zeros: [10]), name: "b2")
        let h = tanh(dot(x, W1) + b1)
        let p = softmax(dot(h, W2) + b2)
        let cost = categoricalCrossentropy(p, y).mean()
        let params = [W1, b1, W2, b2]
        let g = grad(cost, wrt: params)
        let train = try function(inputs: [x, y, lr], outputs: [cost], updates: zip(params, g).map { ($0, $0 - lr * $1) },
                                 optimizer: optimizer, name: "train")
        return (train, params)
    }

    static func batch() throws -> (Tensor, Tensor) {
        var rng = RandomGenerator(seed: 5)
        let x = Tensor(randomUniform: [16, 784], in: 0...1, generator: &rng)
        let y = try Tensor(shape: [16], scalars: (0..<16).map { Int32($0 * 7 % 10) })
        return (x, y)
    }

    @Test func reportShowsTheStabilizedForms() throws {
        let (train, _) = try Self.trainer(.fastRun)
        let report = train.report
        print(train.dump(.report))
        #expect(train.dump(.report) == report.description)
        #expect(report.count(of: "crossentropySoftmax1Hot") == 1)
        #expect(report.count(of: "gemm") == 4)         // two layers, two weight updates
        #expect(report.count(of: "meanToSum") == 1)
        #expect(report.warnings.isEmpty)
        #expect(report.nodesAfter < report.nodesBefore)
        let text = train.dump(.graph)
        #expect(text.contains("logSoftmax") && text.contains("gemm") && !text.contains(" = log "), "\(text)")
        // Only the backward product δ·W2ᵀ stays a plain dot (nothing is added to it).
        #expect(text.components(separatedBy: " = dot ").count == 2 && !text.contains(" = mean "), "\(text)")
    }

    /// Three SGD steps give the same losses and parameters optimized and unoptimized.
    @Test func optimizedTrainingMatchesUnoptimized() throws {
        let (fast, fastParams) = try Self.trainer(.fastRun)
        let (plain, plainParams) = try Self.trainer(.none)
        let (x, y) = try Self.batch()
        for _ in 0..<3 {
            let a = try fast(x, y, 0.5)[0].scalar, b = try plain(x, y, 0.5)[0].scalar
            #expect(a.isFinite && Swift.abs(a - b) <= 1e-5 * Swift.max(1, Swift.abs(b)), "\(a) vs \(b)")
        }
        for (p, q) in zip(fastParams, plainParams) {
            let worst = zip(p.value.scalars, q.value.scalars).map { Swift.abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-5, "\(p.name): max difference \(worst)")
        }
    }
}
