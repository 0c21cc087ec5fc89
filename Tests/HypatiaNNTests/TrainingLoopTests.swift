import HypatiaNN
import HypatiaTestSupport
import Testing

/// Softmax regression on a small 2-D problem (label: x0 + 0.5·x1 > 0.1), compiled once.
final class TinyLogisticRegression: @unchecked Sendable {
    let W = shared(Tensor(zeros: [2, 2]), name: "W")
    let b = shared(Tensor(zeros: [2]), name: "b")
    let train: CompiledFunction
    let validate: CompiledFunction
    let trainSet: [Tensor]
    let validationSet: [Tensor]

    static let instance = Result { try TinyLogisticRegression() }

    init() throws {
        let x = matrix("x", shape: [nil, 2])
        let y = vector("y", dtype: .int32)
        let lr = scalar("lr")
        let p = softmax(dot(x, W) + b)
        let cost = Hypatia.categoricalCrossentropy(p, y).mean()
        let errors = neq(argmax(p, axis: 1), y).mean()
        let g = grad(cost, wrt: [W, b])
        train = try function(inputs: [x, y, lr], outputs: [cost],
                             updates: [(W, W - lr * g[0]), (b, b - lr * g[1])], name: "train")
        validate = try function(inputs: [x, y], outputs: [cost, errors], name: "validate")
        trainSet = try Self.data(count: 120, seed: 1)
        validationSet = try Self.data(count: 60, seed: 2)
    }

    /// Points uniform in [-1, 1]² and their labels.
    static func data(count: Int, seed: UInt64) throws -> [Tensor] {
        let points = RandomData.uniform([count, 2], in: -1...1, seed: seed).values
        let labels = (0..<count).map { Int32(points[2 * $0] + 0.5 * points[2 * $0 + 1] > 0.1 ? 1 : 0) }
        return [try Tensor(shape: [count, 2], scalars: points.map { Float($0) }), try Tensor(shape: [count], scalars: labels)]
    }

    func reset() throws {
        try W.setValue(Tensor(zeros: [2, 2]))
        try b.setValue(Tensor(zeros: [2]))
    }

    func fit(_ trainer: Trainer) throws -> TrainingHistory {
        try reset()
        return try trainer.fit(train, inputs: trainSet, extraArguments: [Tensor(0.5)],
                               validation: Validation(validate, inputs: validationSet, outputs: .lossAndError))
    }

    func trainer(progress: ProgressStyle = .silent, output: ProgressOutput = .standardOutput) -> Trainer {
        Trainer(batchSize: 10, maxEpochs: 60, seed: 42, earlyStopping: .epochsWithoutImprovement(3),
                parameters: [W, b], progress: progress, progressOutput: output)
    }
}

/// The model is shared, so its tests run one after the other.
@Suite("Training: loop on a tiny logistic regression", .serialized)
struct TrainingLoopTests {
    let model: TinyLogisticRegression

    init() throws { model = try TinyLogisticRegression.instance.get() }

    @Test func lowersTheLossStopsEarlyAndRestoresTheBest() throws {
        let history = try model.fit(model.trainer())
        let losses = history.trainLosses
        #expect(losses.count >= 5)
        #expect(losses.last! < 0.6 * losses.first!)
        #expect(history.stopReason == .noImprovement)
        #expect(history.epochs.count < 60)
        let best = try #require(history.best)
        #expect(history.epochs.count == best.epoch + 3)
        #expect(history.bestValidationScore == best.validationError)
        #expect(history.validationErrors.compactMap { $0 }.min() == best.validationError)
        // The restored parameters score exactly what the best epoch measured.
        let now = try evaluateInBatches(model.validate, inputs: model.validationSet, batchSize: 10)
        #expect(now == [best.validationLoss!, best.validationError!])
        #expect(history.epochs.allSatisfy { $0.examples == 120 && $0.batches == 12 && $0.seconds >= 0 })
    }

    @Test func runsAreDeterministicForASeed() throws {
        func curve(_ h: TrainingHistory) -> [[Double?]] {
            h.epochs.map { [$0.trainLoss, $0.validationLoss, $0.validationError] }
        }
        let first = try model.fit(model.trainer())
        let second = try model.fit(model.trainer())
        #expect(curve(first) == curve(second))
        var reseeded = model.trainer()
        reseeded.seed = 43
        #expect(curve(try model.fit(reseeded)) != curve(first))
    }

    @Test func perEpochProgressLines() throws {
        let text = Recorder<String>()
        let history = try model.fit(model.trainer(progress: .automatic,
                                                                   output: .custom(text.append)))
        let lines = text.items.joined().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == history.epochs.count + 2)  // epochs, final line, "" after the last "\n"
        #expect(lines[0].hasPrefix("epoch 1/60  loss "))
        #expect(lines[0].contains("val loss ") && lines[0].contains("val error ") && lines[0].contains("ex/s"))
        #expect(lines[history.epochs.count].hasPrefix("stopped: noImprovement after \(history.epochs.count) epochs"))
        #expect(!text.items.contains { $0.hasPrefix("\r") })
    }

    @Test func inPlaceProgressRewritesOneLine() throws {
        let text = Recorder<String>()
        let history = try model.fit(model.trainer(progress: .inPlace, output: .custom(text.append)))
        let updates = text.items.filter { $0.hasPrefix("\r\u{1B}[K") && !$0.hasSuffix("\n") }
        #expect(updates.count >= history.epochs.count)  // at least the last batch of each epoch
        #expect(updates.contains { $0.contains("batch 12/12") && $0.contains("ETA 0:00") })
        #expect(text.items.filter { $0.hasSuffix("\n") }.count == history.epochs.count + 1)
    }
}
