/// A minibatch training loop with validation, early stopping, best-parameter restore and a
/// progress line: the loop the Theano tutorials write by hand, as a value you configure.
///
/// ```swift
/// let trainer = Trainer(batchSize: 600, maxEpochs: 1000, shuffle: false,
///                       earlyStopping: .patience(Patience(patience: 5000)), parameters: [W, b])
/// let history = try trainer.fit(train, inputs: [trainX, trainY], extraArguments: [Tensor(0.13)],
///                               validation: Validation(errors, inputs: [validX, validY]))
/// let testError = try evaluateInBatches(errors, inputs: [testX, testY], batchSize: 600)[0]
/// ```
///
/// Each epoch draws the batches from `Minibatches(count:batchSize:shuffle:seed:epoch:dropLast:)`
/// (epoch `e` uses permutation `e - 1`, so a run is reproducible from `seed`), gathers the rows of
/// every input tensor, and calls the training function, whose first output is the scalar loss.
/// The validation set is scored once per epoch, or every `validationFrequency` minibatches under
/// the patience scheme; a better score snapshots `parameters`, and at the end the parameters of
/// the best score are restored (`restoreBest`).
public struct Trainer {
    /// Examples per minibatch.
    public var batchSize: Int
    /// The most epochs to train.
    public var maxEpochs: Int
    /// Whether each epoch visits the examples in a new random order.
    public var shuffle: Bool
    /// Seed of the shuffling.
    public var seed: UInt64
    /// Whether a final batch smaller than `batchSize` is skipped (the tutorials use only full
    /// batches: `n_train_batches = n // batch_size`).
    public var dropLast: Bool
    /// The early-stopping rule (needs a validation set unless `.none`).
    public var earlyStopping: EarlyStopping
    /// The variables whose values are kept at the best validation score.
    public var parameters: [SharedVariable]
    /// Whether the parameters are reset to the best validation score's values at the end.
    public var restoreBest: Bool
    /// How progress is shown.
    public var progress: ProgressStyle
    /// Where progress goes.
    public var progressOutput: ProgressOutput
    /// Called after each epoch with its record; return false to stop training
    /// (`StopReason.requested`). Use it to decay a learning rate held in a shared variable,
    /// save a checkpoint or print more.
    public var onEpochEnd: ((EpochRecord) throws -> Bool)?

    /// A trainer; only `batchSize` and `maxEpochs` are required.
    public init(batchSize: Int, maxEpochs: Int, shuffle: Bool = true, seed: UInt64 = 0, dropLast: Bool = true,
                earlyStopping: EarlyStopping = .none, parameters: [SharedVariable] = [], restoreBest: Bool = true,
                progress: ProgressStyle = .automatic, progressOutput: ProgressOutput = .standardOutput,
                onEpochEnd: ((EpochRecord) throws -> Bool)? = nil) {
        self.batchSize = batchSize
        self.maxEpochs = maxEpochs
        self.shuffle = shuffle
        self.seed = seed
        self.dropLast = dropLast
        self.earlyStopping = earlyStopping
        self.parameters = parameters
        self.restoreBest = restoreBest
        self.progress = progress
        self.progressOutput = progressOutput
        self.onEpochEnd = onEpochEnd
    }

    /// Trains with a compiled function called as `train(batch of each input..., extraArguments...)`,
    /// whose first output is the scalar minibatch loss (its updates do the learning).
    ///
    /// Throws `DataError(.invalidArgument)` for inconsistent inputs or settings (see
    /// `fit(inputs:validation:step:)`); errors of the compiled functions pass through, and
    /// leave the parameters as the last successful call left them.
    public func fit(_ train: CompiledFunction, inputs: [Tensor], extraArguments: [Tensor] = [],
                    validation: Validation? = nil) throws -> TrainingHistory {
        try fit(inputs: inputs, validation: validation) { try train.call($0 + extraArguments) }
    }

    /// Trains with a closure that takes one minibatch (the gathered rows of each input) and
    /// returns outputs whose first is the scalar loss.
    ///
    /// Throws `DataError(.invalidArgument)` when the inputs disagree in example count or are
    /// empty, `batchSize` or `maxEpochs` is below 1, `dropLast` leaves no batch, early stopping
    /// is asked for without a validation set, or the first output is not a scalar.
    public func fit(inputs: [Tensor], validation: Validation? = nil,
                    step: ([Tensor]) throws -> [Tensor]) throws -> TrainingHistory {
        let count = try exampleCount(of: inputs, role: "training")
        try checkSettings(count: count, hasValidation: validation != nil)
        if let validation { _ = try exampleCount(of: validation.inputs, role: "validation") }
        var run = TrainingRun(trainer: self, inputs: inputs, count: count, validation: validation)
        return try run.run(step)
    }

    /// Throws unless the settings make sense for `count` training examples.
    private func checkSettings(count: Int, hasValidation: Bool) throws {
        guard batchSize >= 1, maxEpochs >= 1 else {
            throw DataError(.invalidArgument, "Trainer: batchSize \(batchSize) and maxEpochs \(maxEpochs) "
                            + "must be at least 1")
        }
        guard !dropLast || count >= batchSize else {
            throw DataError(.invalidArgument, "Trainer: \(count) examples make no full batch of \(batchSize) "
                            + "(set dropLast: false or a smaller batch)")
        }
        switch earlyStopping {
        case .none: return
        case .patience(let p):
            guard p.patience >= 0, (p.validationFrequency ?? 1) >= 1 else {
                throw DataError(.invalidArgument, "Trainer: patience \(p.patience) must be ≥ 0 and "
                                + "validationFrequency \(p.validationFrequency ?? 1) ≥ 1")
            }
        case .epochsWithoutImprovement(let n):
            guard n >= 1 else {
                throw DataError(.invalidArgument, "Trainer: epochsWithoutImprovement(\(n)) must be at least 1")
            }
        }
        guard hasValidation else {
            throw DataError(.invalidArgument, "Trainer: early stopping \(earlyStopping) needs a validation set")
        }
    }
}
