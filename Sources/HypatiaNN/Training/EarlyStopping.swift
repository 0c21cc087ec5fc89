/// When training stops before `maxEpochs` because the validation score no longer improves.
///
/// The score is the validation error when the validation function reports one, otherwise the
/// validation loss; lower is better and only a strictly lower score counts as an improvement.
public enum EarlyStopping: Sendable, Equatable {
    /// Train for `maxEpochs` (validating once per epoch when a validation set is given, and
    /// still keeping the best parameters).
    case none
    /// The Theano tutorials' patience scheme (logistic_sgd.py, mlp.py, convolutional_mlp.py).
    case patience(Patience)
    /// Validate once per epoch and stop after this many epochs in a row without improvement.
    case epochsWithoutImprovement(Int)
}

/// The Theano tutorials' patience-based early stopping, counted in minibatch iterations.
///
/// With `iter` the 0-based index of a minibatch over the whole run, the validation set is
/// scored after minibatch `iter` when `(iter + 1) % validationFrequency == 0`. A new best score
/// that is also below `best · improvementThreshold` raises the patience to
/// `max(patience, iter · patienceIncrease)`. Training stops after the first minibatch with
/// `patience <= iter`, in the middle of an epoch if need be.
public struct Patience: Sendable, Equatable {
    /// Look at this many minibatches regardless (the tutorials' 10000 for MNIST; 5000 for
    /// logistic regression).
    public var patience: Int
    /// Multiplier of the iteration count when a significant improvement is found.
    public var patienceIncrease: Double
    /// A relative improvement of `best · improvementThreshold` is significant.
    public var improvementThreshold: Double
    /// Minibatches between validations; nil uses the tutorials' `min(batchesPerEpoch, patience / 2)`
    /// (validation once per epoch unless patience is short).
    public var validationFrequency: Int?

    /// The tutorials' settings by default.
    public init(patience: Int = 10_000, patienceIncrease: Double = 2, improvementThreshold: Double = 0.995,
                validationFrequency: Int? = nil) {
        self.patience = patience
        self.patienceIncrease = patienceIncrease
        self.improvementThreshold = improvementThreshold
        self.validationFrequency = validationFrequency
    }
}

/// Why a training run ended.
public enum StopReason: String, Sendable, Equatable {
    /// `maxEpochs` epochs were trained.
    case maxEpochs
    /// The patience scheme ran out of patience.
    case patienceExhausted
    /// `epochsWithoutImprovement` epochs passed without a better validation score.
    case noImprovement
    /// The `onEpochEnd` callback asked to stop.
    case requested
}

/// The running state of an early-stopping rule: best score, patience, when to validate.
struct EarlyStoppingState {
    let rule: EarlyStopping
    let frequency: Int
    private(set) var best = Double.infinity
    private(set) var patience: Int
    private(set) var epochsSinceImprovement = 0

    /// The state at the start of training with `batchesPerEpoch` minibatches per epoch.
    init(_ rule: EarlyStopping, batchesPerEpoch: Int) {
        self.rule = rule
        switch rule {
        case .patience(let p):
            patience = p.patience
            frequency = max(1, p.validationFrequency ?? min(batchesPerEpoch, p.patience / 2))
        case .none, .epochsWithoutImprovement:
            patience = 0
            frequency = batchesPerEpoch
        }
    }

    /// Whether the validation set is scored after 0-based minibatch `iteration`, the
    /// `batchInEpoch`-th (1-based) of `batchCount`.
    func validationIsDue(iteration: Int, batchInEpoch: Int, batchCount: Int) -> Bool {
        switch rule {
        case .patience: return (iteration + 1) % frequency == 0
        case .none, .epochsWithoutImprovement: return batchInEpoch == batchCount
        }
    }

    /// Records a validation score after minibatch `iteration`; true if it is a new best.
    mutating func record(_ score: Double, iteration: Int) -> Bool {
        guard score < best else { return false }
        if case .patience(let p) = rule, score < best * p.improvementThreshold {
            patience = max(patience, Int(Double(iteration) * p.patienceIncrease))
        }
        best = score
        return true
    }

    /// Updates the count of epochs without improvement at the end of an epoch.
    mutating func endEpoch(improved: Bool) {
        epochsSinceImprovement = improved ? 0 : epochsSinceImprovement + 1
    }

    /// Whether the patience scheme stops after minibatch `iteration`.
    func outOfPatience(after iteration: Int) -> Bool {
        if case .patience = rule { return patience <= iteration }
        return false
    }

    /// Whether the epochs-without-improvement rule stops at the end of an epoch.
    var stopsForLackOfImprovement: Bool {
        if case .epochsWithoutImprovement(let n) = rule { return epochsSinceImprovement >= n }
        return false
    }
}
