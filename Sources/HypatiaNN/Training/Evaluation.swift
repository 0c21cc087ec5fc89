/// The means of a function's scalar outputs over a dataset, computed in minibatches.
///
/// `inputs` are aligned tensors (images, labels, ...) whose first axis indexes examples; each
/// batch of rows (in order, the last batch possibly smaller) is passed to `function` followed
/// by `extraArguments`. Every output must be a scalar, normally a mean over the batch (a loss,
/// an error rate); the result is the mean of each output weighted by batch size, which for
/// batch means is exactly the mean over the whole dataset — the final test error of the
/// Theano tutorials.
///
/// Throws `DataError(.invalidArgument)` for no inputs, inputs that disagree in example count,
/// an empty dataset, a batch size below 1 or a non-scalar output; errors of `function` pass
/// through.
public func evaluateInBatches(_ function: CompiledFunction, inputs: [Tensor], batchSize: Int,
                              extraArguments: [Tensor] = []) throws -> [Double] {
    try evaluateInBatches(inputs: inputs, batchSize: batchSize) { try function.call($0 + extraArguments) }
}

/// The means of a closure's scalar outputs over a dataset in minibatches, weighted by batch
/// size (see `evaluateInBatches(_:inputs:batchSize:extraArguments:)`).
public func evaluateInBatches(inputs: [Tensor], batchSize: Int,
                              _ function: ([Tensor]) throws -> [Tensor]) throws -> [Double] {
    let count = try exampleCount(of: inputs, role: "evaluation")
    guard batchSize >= 1 else { throw DataError(.invalidArgument, "evaluation: batch size \(batchSize) must be ≥ 1") }
    var sums: [Double] = []
    for batch in Minibatches(count: count, batchSize: batchSize, shuffle: false) {
        let outputs = try function(try inputs.map { try $0.rows(batch) })
        if sums.isEmpty { sums = Array(repeating: 0, count: outputs.count) }
        guard outputs.count == sums.count else {
            throw DataError(.invalidArgument, "evaluation: the function returned \(outputs.count) outputs "
                            + "after \(sums.count)")
        }
        for (k, output) in outputs.enumerated() {
            sums[k] += try scalarValue(output, what: "evaluation output \(k)") * Double(batch.count)
        }
    }
    return sums.map { $0 / Double(count) }
}

/// The number of examples in aligned dataset tensors (their common first extent).
///
/// Throws `DataError(.invalidArgument)` for no tensors, a scalar, disagreeing counts or zero
/// examples; `role` names the dataset in the message.
func exampleCount(of inputs: [Tensor], role: String) throws -> Int {
    guard let first = inputs.first else {
        throw DataError(.invalidArgument, "\(role): no input tensors given")
    }
    guard inputs.allSatisfy({ $0.rank >= 1 }) else {
        throw DataError(.invalidArgument, "\(role): inputs must have an example axis, got shapes "
                        + "\(inputs.map(\.shape))")
    }
    let count = first.shape[0]
    guard inputs.allSatisfy({ $0.shape[0] == count }) else {
        throw DataError(.invalidArgument, "\(role): inputs disagree in their number of examples: shapes "
                        + "\(inputs.map(\.shape))")
    }
    guard count > 0 else { throw DataError(.invalidArgument, "\(role): the dataset has no examples") }
    return count
}

/// The value of a one-element tensor; `DataError(.invalidArgument)` naming `what` otherwise.
func scalarValue(_ tensor: Tensor, what: String) throws -> Double {
    guard tensor.count == 1 else {
        throw DataError(.invalidArgument, "\(what) must be a scalar, got shape \(tensor.shape)")
    }
    return tensor.scalar
}

/// Which outputs of a validation function are the loss and the error rate.
public enum ValidationOutputs: Sendable, Equatable {
    /// One output: the error rate (the Theano tutorials' `errors`).
    case error
    /// One output: the loss.
    case loss
    /// Two outputs: the loss, then the error rate.
    case lossAndError

    /// The (loss, error) of a validation function's mean outputs.
    func split(_ means: [Double]) throws -> (loss: Double?, error: Double?) {
        let expected: Int
        switch self {
        case .error, .loss: expected = 1
        case .lossAndError: expected = 2
        }
        guard means.count == expected else {
            throw DataError(.invalidArgument, "validation: outputs \(self) need \(expected) outputs, "
                            + "the function returned \(means.count)")
        }
        switch self {
        case .error: return (nil, means[0])
        case .loss: return (means[0], nil)
        case .lossAndError: return (means[0], means[1])
        }
    }
}

/// A validation set and the function that scores it: mean loss and/or error over minibatches.
public struct Validation {
    /// Aligned tensors whose first axis indexes examples (e.g. images and labels).
    public var inputs: [Tensor]
    /// What the function's outputs are.
    public var outputs: ValidationOutputs
    /// Batch size for scoring; nil uses the training batch size.
    public var batchSize: Int?
    /// Scores one batch.
    let evaluate: ([Tensor]) throws -> [Tensor]

    /// A compiled function called with each batch of `inputs` followed by `extraArguments`.
    public init(_ function: CompiledFunction, inputs: [Tensor], outputs: ValidationOutputs = .error,
                extraArguments: [Tensor] = [], batchSize: Int? = nil) {
        self.init(inputs: inputs, outputs: outputs, batchSize: batchSize) { try function.call($0 + extraArguments) }
    }

    /// A closure scoring one batch.
    public init(inputs: [Tensor], outputs: ValidationOutputs = .error, batchSize: Int? = nil,
                evaluate: @escaping ([Tensor]) throws -> [Tensor]) {
        self.inputs = inputs
        self.outputs = outputs
        self.batchSize = batchSize
        self.evaluate = evaluate
    }

    /// The mean (loss, error) over the whole set.
    func score(defaultBatchSize: Int) throws -> (loss: Double?, error: Double?) {
        try outputs.split(try evaluateInBatches(inputs: inputs, batchSize: batchSize ?? defaultBatchSize, evaluate))
    }
}
