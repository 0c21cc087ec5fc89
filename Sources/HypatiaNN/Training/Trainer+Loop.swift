/// The mutable state of one `Trainer.fit` run: iteration count, early stopping, best
/// snapshot, the history being written and the progress printer.
struct TrainingRun {
    let trainer: Trainer
    let inputs: [Tensor]
    let count: Int
    let validation: Validation?
    var stopping: EarlyStoppingState
    var printer: ProgressPrinter
    var history = TrainingHistory()
    var snapshot: ParameterSnapshot?
    /// 0-based index of the next minibatch over the whole run (the tutorials' `iter`).
    var iteration = 0
    var stop: StopReason?
    /// The last validation (loss, error) of the current epoch and whether it improved.
    var epochScore: (loss: Double?, error: Double?)?
    var improvedThisEpoch = false

    init(trainer: Trainer, inputs: [Tensor], count: Int, validation: Validation?) {
        self.trainer = trainer
        self.inputs = inputs
        self.count = count
        self.validation = validation
        let batches = trainer.dropLast ? count / trainer.batchSize : (count + trainer.batchSize - 1) / trainer.batchSize
        stopping = EarlyStoppingState(trainer.earlyStopping, batchesPerEpoch: batches)
        printer = ProgressPrinter(style: trainer.progress, output: trainer.progressOutput, maxEpochs: trainer.maxEpochs)
    }

    /// Trains until `maxEpochs` or a stop, restores the best parameters and returns the history.
    mutating func run(_ step: ([Tensor]) throws -> [Tensor]) throws -> TrainingHistory {
        for epoch in 1...trainer.maxEpochs {
            try runEpoch(epoch, step)
            if stop != nil { break }
        }
        history.stopReason = stop ?? .maxEpochs
        if trainer.restoreBest, let snapshot {
            try snapshot.restore()
            history.restoredBest = true
        }
        printer.finish(history)
        return history
    }

    /// One epoch: the minibatches, validations when due, the epoch's record and stop checks.
    mutating func runEpoch(_ epoch: Int, _ step: ([Tensor]) throws -> [Tensor]) throws {
        let batches = Minibatches(count: count, batchSize: trainer.batchSize, shuffle: trainer.shuffle,
                                  seed: trainer.seed, epoch: epoch - 1, dropLast: trainer.dropLast)
        let start = ContinuousClock.now
        var lossSum = 0.0, examples = 0, done = 0
        epochScore = nil
        improvedThisEpoch = false
        for batch in batches {
            let outputs = try step(try inputs.map { try $0.rows(batch) })
            guard let loss = outputs.first else {
                throw DataError(.invalidArgument, "Trainer: the training function returned no outputs (the loss first)")
            }
            lossSum += try scalarValue(loss, what: "the training function's first output (the loss)")
                * Double(batch.count)
            examples += batch.count
            done += 1
            printer.batchDone(epoch: epoch, batch: done, of: batches.batchCount, meanLoss: lossSum / Double(examples),
                              examples: examples, elapsed: Self.seconds(since: start))
            if validation != nil,
               stopping.validationIsDue(iteration: iteration, batchInEpoch: done, batchCount: batches.batchCount) {
                try validate(epoch: epoch)
            }
            if stopping.outOfPatience(after: iteration) { stop = .patienceExhausted }
            iteration += 1
            if stop != nil { break }
        }
        let record = EpochRecord(epoch: epoch, trainLoss: lossSum / Double(max(examples, 1)),
                                 validationLoss: epochScore?.loss, validationError: epochScore?.error,
                                 batches: done, examples: examples, seconds: Self.seconds(since: start))
        try endEpoch(record)
    }

    /// Scores the validation set; a new best score snapshots the parameters.
    mutating func validate(epoch: Int) throws {
        guard let validation else { return }
        let score = try validation.score(defaultBatchSize: trainer.batchSize)
        epochScore = score
        let value = score.error ?? score.loss ?? .nan
        if stopping.record(value, iteration: iteration) {
            improvedThisEpoch = true
            history.bestEpoch = epoch
            history.bestValidationScore = value
            if !trainer.parameters.isEmpty { snapshot = ParameterSnapshot(trainer.parameters) }
        }
    }

    /// Appends the epoch's record, reports it and applies the end-of-epoch stop rules.
    mutating func endEpoch(_ record: EpochRecord) throws {
        history.epochs.append(record)
        if epochScore != nil { stopping.endEpoch(improved: improvedThisEpoch) }
        let best = history.bestValidationScore.flatMap { score in history.bestEpoch.map { (score, $0) } }
        printer.epochDone(record, best: best, scoreIsError: validation?.outputs != .loss)
        if stop == nil, stopping.stopsForLackOfImprovement { stop = .noImprovement }
        if let onEpochEnd = trainer.onEpochEnd, try !onEpochEnd(record), stop == nil { stop = .requested }
    }

    /// Seconds elapsed since `start`.
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
