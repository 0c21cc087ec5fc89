import Hypatia

// Lasagne's `binary_crossentropy` and `squared_error` (lasagne.objectives). The categorical
// cross-entropy is Hypatia's `categoricalCrossentropy(_:_:)` (int labels or one-hot /
// probability targets), re-exported as is: it already has Lasagne's semantics.

/// Elementwise binary cross-entropy `-(t·log(p) + (1-t)·log(1-p))` of probabilities
/// `predictions` and targets in [0, 1] (Lasagne's `binary_crossentropy`).
///
/// Like Lasagne, predictions of shape (n, 1) with targets of shape (n) are aligned (the
/// targets become a column) instead of broadcasting to (n, n). Wraps Hypatia's
/// `binaryCrossentropy`; the graph optimizer rewrites the cross-entropy of a `sigmoid` into
/// its stable softplus form. Non-float predictions record a `.dtype` error, targets of
/// another rank a `.shape` error (thrown by `function(...)` with the caller's line).
public func binaryCrossentropy(_ predictions: Variable, _ targets: Variable,
                               file: String = #fileID, line: Int = #line) -> Variable {
    let loc = callSite(file, line)
    let op = "binaryCrossentropy"
    if let error = requireFloat(predictions, role: "predictions", op: op, at: loc) {
        return failed(error, type: predictions.type, inputs: [predictions, targets], at: loc)
    }
    let aligned = alignTargets(predictions, targets, at: loc)
    guard aligned.rank == predictions.rank else {
        let error = GraphError(.shape, op: op, "targets \(targets.type) do not fit predictions "
                               + "\(predictions.type): give targets of the predictions' rank", at: loc)
        return failed(error, type: predictions.type, inputs: [predictions, targets], at: loc)
    }
    return Hypatia.binaryCrossentropy(predictions, aligned, file: file, line: line)
}

/// Elementwise squared difference `(a - b)²` (Lasagne's `squared_error`).
///
/// Predictions of shape (n, 1) with targets of shape (n) are aligned as in
/// `binaryCrossentropy`. Shapes that do not broadcast record a `.shape` error with the
/// caller's line.
public func squaredError(_ a: Variable, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    let loc = callSite(file, line)
    let difference = elementwise(.sub, a, alignTargets(a, b, at: loc), at: loc)
    return elementwise(.mul, difference, difference, at: loc)
}
