import Hypatia

/// Elementwise binary accuracy: 1 where `predictions ≥ threshold` agrees with the {0, 1}
/// `targets`, else 0 (Lasagne's `binary_accuracy`).
///
/// The result has the predictions' float dtype (Lasagne returns an int8 comparison), so
/// `.mean()` is the accuracy. Predictions of shape (n, 1) with targets of shape (n) are
/// aligned. Non-float predictions record a `.dtype` error with the caller's line.
public func binaryAccuracy(_ predictions: Variable, _ targets: Variable, threshold: Double = 0.5,
                           file: String = #fileID, line: Int = #line) -> Variable {
    let loc = callSite(file, line)
    if let error = requireFloat(predictions, role: "predictions", op: "binaryAccuracy", at: loc) {
        return failed(error, type: predictions.type, inputs: [predictions, targets], at: loc)
    }
    let decided = cast(ge(predictions, threshold, file: file, line: line), to: targets.dtype, file: file, line: line)
    let agree = Variable(Build.binary(.eq, decided.node, alignTargets(predictions, targets, at: loc).node, at: loc))
    return cast(agree, to: predictions.dtype, file: file, line: line)
}

/// Per-example categorical accuracy: 1 where the correct class is among the `topK` highest
/// predictions, else 0 (Lasagne's `categorical_accuracy`).
///
/// `predictions` have the classes on the last axis, e.g. (n, k); `targets` are int labels
/// of one rank less, e.g. (n), or one-hot / probability targets shaped like the predictions
/// (their argmax is the label). With `topK > 1` an example counts as correct when fewer than
/// `topK` classes have a strictly larger prediction than the correct one (ties go to the
/// target; Lasagne's argsort breaks ties by index). The result has the predictions' float
/// dtype, so `.mean()` is the accuracy. Mismatched ranks or dtypes, or `topK < 1`, record a
/// typed error with the caller's line.
public func categoricalAccuracy(_ predictions: Variable, _ targets: Variable, topK: Int = 1,
                                file: String = #fileID, line: Int = #line) -> Variable {
    let loc = callSite(file, line)
    if let error = accuracyError(predictions, targets, topK: topK, at: loc) {
        return failed(error, type: TensorType(predictions.dtype, Array(predictions.type.shape.dropLast())),
                      inputs: [predictions, targets], at: loc)
    }
    let last = predictions.rank - 1
    let labels = targets.rank == predictions.rank ? argmax(targets, axis: last, file: file, line: line) : targets
    let hit: Variable
    if topK == 1 {
        hit = eq(argmax(predictions, axis: last, file: file, line: line), labels, file: file, line: line)
    } else {
        let isCorrect = correctClassMask(predictions, labels, file: file, line: line)
        let correct = select(isCorrect, predictions, 0, file: file, line: line)
            .sum(axis: last, keepDims: true, file: file, line: line)
        let larger = cast(gt(predictions, correct, file: file, line: line), to: .int64, file: file, line: line)
        hit = lt(larger.sum(axis: last, file: file, line: line), Double(topK), file: file, line: line)
    }
    return cast(hit, to: predictions.dtype, file: file, line: line)
}

/// The typed error for `categoricalAccuracy`'s operands, if any.
private func accuracyError(_ predictions: Variable, _ targets: Variable, topK: Int,
                           at loc: SourceLocation) -> GraphError? {
    let op = "categoricalAccuracy"
    guard topK >= 1 else { return GraphError(.argument, op: op, "topK must be at least 1, got \(topK)", at: loc) }
    if let error = requireFloat(predictions, role: "predictions", op: op, at: loc) { return error }
    guard predictions.rank >= 1 else {
        return GraphError(.shape, op: op, "predictions need a class axis, got \(predictions.type)", at: loc)
    }
    return labelsError(predictions, targets, op: op, at: loc)
}
