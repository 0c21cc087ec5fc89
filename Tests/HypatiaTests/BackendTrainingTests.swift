import Hypatia
import Testing

/// The LogisticRegression example's model trains the same on LLVM as on the interpreter.
@Suite struct BackendTrainingTests {
    /// The example's model (softmax regression on 784 inputs, SGD) compiled in `mode`.
    static func model(_ mode: Mode) throws -> (train: CompiledFunction, errors: CompiledFunction, W: SharedVariable) {
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
                                 updates: [(W, W - lr * g[0]), (b, b - lr * g[1])], mode: mode, name: "train")
        return (train, try function(inputs: [x, y], outputs: [errors], mode: mode, name: "errors"), W)
    }

    /// 100 synthetic "images": noise plus a bright block of 40 pixels that depends on the label.
    static func data() throws -> (Tensor, Tensor) {
        var rng = RandomGenerator(seed: 17)
        let noise = Tensor(randomUniform: [100, 784], in: 0...0.5, generator: &rng)
        let labels = (0..<100).map { Int32(($0 * 7) % 10) }
        var pixels = noise.scalars(as: Float.self)
        for (i, label) in labels.enumerated() {
            for j in 0..<40 { pixels[i * 784 + Int(label) * 60 + j] += 0.5 }
        }
        return (try Tensor(shape: [100, 784], scalars: pixels), try Tensor(shape: [100], scalars: labels))
    }

    @Test func logisticRegressionTrainsOnLLVMLikeOnTheInterpreter() throws {
        let llvm = try Self.model(.fastRun), reference = try Self.model(.interpret)
        #expect(llvm.train.dump(.kernels).hasPrefix("plan @train"))
        let (x, y) = try Self.data()
        var losses: [Double] = []
        for _ in 0..<6 {
            let loss = try llvm.train(x, y, 0.13)[0].scalar
            let expected = try reference.train(x, y, 0.13)[0].scalar
            #expect(Swift.abs(loss - expected) <= 1e-5 * Swift.max(1, expected), "\(loss) vs \(expected)")
            losses.append(loss)
        }
        #expect(Swift.abs(losses[0] - 2.302585) < 1e-5)   // zero weights: log(10)
        #expect(zip(losses, losses.dropFirst()).allSatisfy { $0 > $1 }, "\(losses)")
        #expect(losses.last! < 0.8 * losses[0], "\(losses)")
        let worst = zip(llvm.W.value.scalars, reference.W.value.scalars).map { Swift.abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-5, "W differs by \(worst)")
        #expect(try llvm.errors(x, y)[0].scalar == reference.errors(x, y)[0].scalar)
    }
}
