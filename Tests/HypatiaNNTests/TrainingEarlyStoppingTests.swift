import HypatiaNN
import Testing

/// Collects what a closure is given (progress text, call counts) across escaping closures.
final class Recorder<T> {
    var items: [T] = []
    func append(_ item: T) { items.append(item) }
}

/// A scripted run: a training step that counts its calls in a shared "parameter" and a
/// validation set whose scores are read from a script, one per validation.
struct ScriptedRun {
    let counter = shared(Tensor(0.0, dtype: .float64), name: "counter")
    let scores: [Double]
    let validations = Recorder<Int>()
    let examples: Int

    init(scores: [Double], examples: Int = 10) {
        self.scores = scores
        self.examples = examples
    }

    var inputs: [Tensor] { [Tensor(zeros: [examples, 1])] }

    /// Sets the counter to the number of steps taken; returns a constant loss.
    func step(_ batch: [Tensor]) throws -> [Tensor] {
        try counter.setValue(Tensor(counter.value.scalar + 1, dtype: .float64))
        return [Tensor(1.0)]
    }

    var validation: Validation {
        Validation(inputs: inputs, outputs: .error, batchSize: examples) { [self] _ in
            let k = validations.items.count
            validations.append(k)
            return [Tensor(scores[min(k, scores.count - 1)], dtype: .float64)]
        }
    }
}

@Suite("Training: early stopping")
struct TrainingEarlyStoppingTests {
    /// The tutorial's rule by hand: validations after iterations 1, 3, 5, ...; the scores 0.5
    /// (patience 4), 0.4 (patience max(4, 3·3) = 9), 0.3999 (not significant), 0.2 at iteration 7
    /// (patience 21), then no improvement: stop after iteration 21, the 2nd batch of epoch 3.
    @Test func patienceSchemeStopsWhereTheTutorialWould() throws {
        let run = ScriptedRun(scores: [0.5, 0.4, 0.3999, 0.2, 0.2])
        let rule = Patience(patience: 4, patienceIncrease: 3, improvementThreshold: 0.995, validationFrequency: 2)
        let trainer = Trainer(batchSize: 1, maxEpochs: 100, shuffle: false, earlyStopping: .patience(rule),
                              parameters: [run.counter], progress: .silent)
        let history = try trainer.fit(inputs: run.inputs, validation: run.validation, step: run.step)
        #expect(history.stopReason == .patienceExhausted)
        #expect(history.epochs.map(\.batches) == [10, 10, 2])
        #expect(run.validations.items.count == 11)  // iterations 1, 3, ..., 21
        #expect(history.bestEpoch == 1 && history.bestValidationScore == 0.2)
        #expect(history.epochs.map(\.validationError) == [0.2, 0.2, 0.2])
        #expect(history.restoredBest)
        #expect(run.counter.value.scalar == 8)  // the value after iteration 7
    }

    /// Default frequency: min(batches per epoch, patience / 2).
    @Test func patienceDefaultFrequency() throws {
        let run = ScriptedRun(scores: [0.5])
        let trainer = Trainer(batchSize: 1, maxEpochs: 1, shuffle: false,
                              earlyStopping: .patience(Patience(patience: 100)), progress: .silent)
        _ = try trainer.fit(inputs: run.inputs, validation: run.validation, step: run.step)
        #expect(run.validations.items.count == 1)  // frequency 10: once, after the epoch's last batch
        let short = ScriptedRun(scores: [0.5, 0.4, 0.3])
        let impatient = Trainer(batchSize: 1, maxEpochs: 1, shuffle: false,
                                earlyStopping: .patience(Patience(patience: 8)), progress: .silent)
        _ = try impatient.fit(inputs: short.inputs, validation: short.validation, step: short.step)
        #expect(short.validations.items.count == 2)  // frequency 4: after iterations 3 and 7
    }

    @Test func epochsWithoutImprovement() throws {
        let run = ScriptedRun(scores: [0.5, 0.4, 0.45, 0.4, 0.41, 0.3])
        let trainer = Trainer(batchSize: 3, maxEpochs: 50, shuffle: true, seed: 7,
                              earlyStopping: .epochsWithoutImprovement(2), parameters: [run.counter],
                              progress: .silent)
        let history = try trainer.fit(inputs: run.inputs, validation: run.validation, step: run.step)
        #expect(history.stopReason == .noImprovement)
        #expect(history.epochs.count == 4)
        #expect(history.validationErrors == [0.5, 0.4, 0.45, 0.4])
        #expect(history.bestEpoch == 2)
        #expect(run.counter.value.scalar == 6)  // 3 full batches of 3 per epoch, best after epoch 2
    }

    @Test func withoutEarlyStoppingTrainsAllEpochsAndCanKeepTheLastParameters() throws {
        let run = ScriptedRun(scores: [0.3, 0.5, 0.6])
        let trainer = Trainer(batchSize: 5, maxEpochs: 3, parameters: [run.counter], restoreBest: false,
                              progress: .silent)
        let history = try trainer.fit(inputs: run.inputs, validation: run.validation, step: run.step)
        #expect(history.stopReason == .maxEpochs && history.epochs.count == 3)
        #expect(history.bestEpoch == 1 && !history.restoredBest)
        #expect(run.counter.value.scalar == 6)
    }

    @Test func callbackCanStopTraining() throws {
        let run = ScriptedRun(scores: [0.5])
        let seen = Recorder<Int>()
        let trainer = Trainer(batchSize: 10, maxEpochs: 10, progress: .silent) { record in
            seen.append(record.epoch)
            return record.epoch < 3
        }
        let history = try trainer.fit(inputs: run.inputs, step: run.step)
        #expect(history.stopReason == .requested && seen.items == [1, 2, 3])
        #expect(history.bestEpoch == nil && history.validationErrors == [nil, nil, nil])
    }

    @Test func invalidSettingsThrow() {
        let run = ScriptedRun(scores: [0.5])
        let cases: [Trainer] = [
            Trainer(batchSize: 0, maxEpochs: 1, progress: .silent),
            Trainer(batchSize: 1, maxEpochs: 0, progress: .silent),
            Trainer(batchSize: 11, maxEpochs: 1, progress: .silent),  // dropLast leaves no batch
            Trainer(batchSize: 1, maxEpochs: 1, earlyStopping: .epochsWithoutImprovement(0), progress: .silent),
            Trainer(batchSize: 1, maxEpochs: 1, earlyStopping: .patience(Patience()), progress: .silent),
        ]
        for trainer in cases {
            #expect(throws: DataError.self) { _ = try trainer.fit(inputs: run.inputs, step: run.step) }
        }
        let trainer = Trainer(batchSize: 2, maxEpochs: 1, progress: .silent)
        #expect(throws: DataError.self) {
            _ = try trainer.fit(inputs: [Tensor(zeros: [4]), Tensor(zeros: [5])], step: run.step)
        }
        #expect(throws: DataError.self) { _ = try trainer.fit(inputs: [], step: run.step) }
        #expect(throws: DataError.self) { _ = try trainer.fit(inputs: run.inputs) { _ in [Tensor(zeros: [2])] } }
        #expect(throws: DataError.self) { _ = try trainer.fit(inputs: run.inputs) { _ in [] } }
        let badValidation = Validation(inputs: run.inputs, outputs: .lossAndError) { _ in [Tensor(0.5)] }
        #expect(throws: DataError.self) {
            _ = try trainer.fit(inputs: run.inputs, validation: badValidation, step: run.step)
        }
    }
}
