import Foundation
import HypatiaNN
import Testing

/// A three-epoch history with validation in epochs 1 and 3, the best in epoch 3.
func sampleHistory() -> TrainingHistory {
    var history = TrainingHistory()
    history.epochs = [
        EpochRecord(epoch: 1, trainLoss: 0.9, validationLoss: 0.8, validationError: 0.25, batches: 5, examples: 50,
                    seconds: 1.5),
        EpochRecord(epoch: 2, trainLoss: 0.5, batches: 5, examples: 50, seconds: 1.25),
        EpochRecord(epoch: 3, trainLoss: .nan, validationLoss: 0.375, validationError: 0.125, batches: 2,
                    examples: 20, seconds: 0.5),
    ]
    history.bestEpoch = 3
    history.bestValidationScore = 0.125
    history.stopReason = .patienceExhausted
    return history
}

@Suite("Training: history, snapshots and evaluation")
struct TrainingHistoryTests {
    @Test func historyAccessorsAndCSV() throws {
        let history = sampleHistory()
        #expect(history.trainLosses.count == 3 && history.trainLosses[1] == 0.5)
        #expect(history.validationErrors == [0.25, nil, 0.125])
        #expect(history.validationLosses == [0.8, nil, 0.375])
        #expect(history.seconds == 3.25)
        #expect(history.best?.epoch == 3)
        #expect(history.csv() == """
            epoch,train_loss,validation_loss,validation_error,batches,examples,seconds,best
            1,0.9,0.8,0.25,5,50,1.500,0
            2,0.5,,,5,50,1.250,0
            3,nan,0.375,0.125,2,20,0.500,1

            """)
        let path = NSTemporaryDirectory() + "hypatia-history-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try history.writeCSV(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == history.csv())
        #expect(throws: DataError.self) { try history.writeCSV(to: "/nonexistent-dir/h.csv") }
    }

    @Test func snapshotRestoresValues() throws {
        let a = shared(try Tensor(shape: [2], scalars: [1, 2] as [Float]), name: "a")
        let b = shared(Tensor(3.0, dtype: .float64), name: "b")
        let snapshot = ParameterSnapshot([a, b])
        let step = try function(inputs: [], outputs: [a.sum()], updates: [(a, a * 10), (b, b + 1)])
        _ = try step.call([])
        #expect(a.value.scalars == [10, 20] && b.value.scalar == 4)
        try snapshot.restore()
        #expect(a.value.scalars == [1, 2] && b.value.scalar == 3)
        #expect(snapshot.values.map(\.scalars) == [[1, 2], [3]])
    }

    /// Batch means weighted by batch size give the dataset mean even with a short last batch.
    @Test(arguments: [1, 3, 4, 7, 10, 25])
    func evaluationWeightsByBatchSize(_ batchSize: Int) throws {
        let values = (0..<10).map { Double($0 * $0) }
        let inputs = [try Tensor(shape: [10], values: values, dtype: .float64)]
        let seen = Recorder<Int>()
        let means = try evaluateInBatches(inputs: inputs, batchSize: batchSize) { batch in
            seen.append(batch[0].count)
            let mean = batch[0].scalars.reduce(0, +) / Double(batch[0].count)
            return [Tensor(mean, dtype: .float64), Tensor(1.0, dtype: .float64)]
        }
        #expect(abs(means[0] - values.reduce(0, +) / 10) < 1e-12)
        #expect(means[1] == 1)
        #expect(seen.items.reduce(0, +) == 10)
    }

    @Test func evaluationOfACompiledFunction() throws {
        let x = vector("x", dtype: .float64)
        let scale = scalar("scale", dtype: .float64)
        let f = try function(inputs: [x, scale], outputs: [x.mean() * scale])
        let data = try Tensor(shape: [5], scalars: [1, 2, 3, 4, 10] as [Double])
        let means = try evaluateInBatches(f, inputs: [data], batchSize: 2, extraArguments: [Tensor(2.0, dtype: .float64)])
        #expect(abs(means[0] - 8) < 1e-12)
        #expect(throws: DataError.self) { _ = try evaluateInBatches(f, inputs: [data], batchSize: 0) }
        #expect(throws: DataError.self) { _ = try evaluateInBatches(f, inputs: [Tensor(zeros: [0])], batchSize: 2) }
        let vectorOutput = try function(inputs: [x], outputs: [x * 2])
        #expect(throws: DataError.self) { _ = try evaluateInBatches(vectorOutput, inputs: [data], batchSize: 2) }
    }
}
