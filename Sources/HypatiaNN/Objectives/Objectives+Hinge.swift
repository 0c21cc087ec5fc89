import Hypatia

/// Elementwise binary hinge loss `max(0, delta - predictions · targets)` (Lasagne's
/// `binary_hinge_loss`).
///
/// - `logOdds`: true if `predictions` are real-valued scores (log-odds); false if they are
///   probabilities, which are first turned into log-odds `log(p / (1 - p))`.
/// - `binary`: true if `targets` are in {0, 1} (mapped to {-1, 1} by `2t - 1`); false if they
///   already are in {-1, 1}.
///
/// Predictions of shape (n, 1) with targets of shape (n) are aligned. Non-float predictions
/// record a `.dtype` error with the caller's line.
public func binaryHingeLoss(_ predictions: Variable, _ targets: Variable, delta: Double = 1, logOdds: Bool = true,
                            binary: Bool = true, file: String = #fileID, line: Int = #line) -> Variable {
    let loc = callSite(file, line)
    if let error = requireFloat(predictions, role: "predictions", op: "binaryHingeLoss", at: loc) {
        return failed(error, type: predictions.type, inputs: [predictions, targets], at: loc)
    }
    let scores = logOdds ? predictions : log(predictions / (1 - predictions), file: file, line: line)
    let numericTargets = targets.dtype == .bool ? cast(targets, to: predictions.dtype, file: file, line: line) : targets
    let signs = binary ? 2 * numericTargets - 1 : numericTargets
    let margin = elementwise(.mul, scores, alignTargets(scores, signs, at: loc), at: loc)
    return relu(delta - margin, file: file, line: line)
}

/// Per-example multi-class hinge loss `max(0, max_{j≠y} p_j - p_y + delta)` (Lasagne's
/// `multiclass_hinge_loss`).
///
/// `predictions` are scores of shape (n, k) with k ≥ 2; `targets` are int labels of shape
/// (n) or one-hot targets of shape (n, k) (the correct class is where the target is
/// nonzero). Returns a vector of n losses. A rank or dtype mismatch records a typed error
/// with the caller's line.
public func multiclassHingeLoss(_ predictions: Variable, _ targets: Variable, delta: Double = 1,
                                file: String = #fileID, line: Int = #line) -> Variable {
    let loc = callSite(file, line)
    if let error = classTargetsError(predictions, targets, op: "multiclassHingeLoss", at: loc) {
        return failed(error, type: TensorType(predictions.dtype, [predictions.type.shape.first ?? .constant(0)]),
                      inputs: [predictions, targets], at: loc)
    }
    let isCorrect = correctClassMask(predictions, targets, file: file, line: line)
    let correct = select(isCorrect, predictions, 0, file: file, line: line).sum(axis: 1, file: file, line: line)
    // Replacing the correct entry by the row minimum leaves the maximum over the others.
    let rowMin = predictions.min(axis: 1, keepDims: true, file: file, line: line)
    let others = select(isCorrect, rowMin, predictions, file: file, line: line).max(axis: 1, file: file, line: line)
    return relu(others - correct + delta, file: file, line: line)
}

/// A bool mask shaped like `predictions` (…, k), true at each example's correct class: from
/// int labels (…) or from nonzero entries of one-hot targets shaped like the predictions.
func correctClassMask(_ predictions: Variable, _ targets: Variable, file: String, line: Int) -> Variable {
    guard targets.rank == predictions.rank - 1 else { return neq(targets, 0, file: file, line: line) }
    let classes = arange(predictions.shape[predictions.rank - 1, file: file, line: line], file: file, line: line)
    let pattern: [Int?] = Array(0..<targets.rank) + [nil]
    let column = Variable(Build.dimshuffle(targets.node, pattern, at: callSite(file, line)))
    return eq(classes, column, file: file, line: line)
}

/// The typed error for predictions (n, k) and class targets that do not fit: float
/// predictions of rank 2 with k ≥ 2 classes, and int labels (n) or targets shaped (n, k).
func classTargetsError(_ predictions: Variable, _ targets: Variable, op: String,
                       at loc: SourceLocation) -> GraphError? {
    if let error = requireFloat(predictions, role: "predictions", op: op, at: loc) { return error }
    guard predictions.rank == 2 else {
        return GraphError(.shape, op: op, "predictions must have rank 2 (examples, classes), got \(predictions.type)",
                          at: loc)
    }
    if let classes = predictions.type.shape[1].constantValue, classes < 2 {
        return GraphError(.shape, op: op, "predictions \(predictions.type) need at least 2 classes", at: loc)
    }
    return labelsError(predictions, targets, op: op, at: loc)
}

/// The typed error unless `targets` are int labels of rank `predictions.rank - 1` or
/// non-bool targets of the predictions' rank.
func labelsError(_ predictions: Variable, _ targets: Variable, op: String, at loc: SourceLocation) -> GraphError? {
    if targets.rank == predictions.rank - 1 {
        guard targets.dtype.isInteger else {
            return GraphError(.dtype, op: op, "labels \(targets.type) of rank \(targets.rank) must be integers "
                              + "(or give one-hot targets shaped like the predictions \(predictions.type))", at: loc)
        }
        return nil
    }
    guard targets.rank == predictions.rank else {
        return GraphError(.shape, op: op, "targets \(targets.type) do not fit predictions \(predictions.type): "
                          + "give int labels of rank \(predictions.rank - 1) or one-hot targets of rank "
                          + "\(predictions.rank)", at: loc)
    }
    return nil
}
