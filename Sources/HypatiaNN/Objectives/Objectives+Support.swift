import Hypatia

// Helpers shared by objectives, penalties, update rules and constraints: the user's call site
// and variables that record a typed error (Hypatia's convention: building never throws, and
// `function(...)` or `check()` throws the first recorded error with the user's line).

/// The source location of a public HypatiaNN call (`#fileID`, `#line` of the caller).
@inline(__always)
func callSite(_ file: String, _ line: Int) -> SourceLocation {
    SourceLocation(fileID: file, line: line)
}

/// A variable typed `type` that records `error` (or the first error already recorded in
/// `inputs`, which is the earlier mistake).
func failed(_ error: GraphError, type: TensorType, inputs: [Variable], at loc: SourceLocation) -> Variable {
    let inherited = inputs.first(where: { $0.node.error != nil })?.node.error
    return Variable(Node.failed(inherited ?? error, type: type, inputs: inputs.map(\.node), at: loc))
}

/// A scalar of `dtype` that records `error` (a failed loss, norm or count).
func failedScalar(_ error: GraphError, dtype: DType, inputs: [Variable], at loc: SourceLocation) -> Variable {
    failed(error, type: TensorType(dtype, []), inputs: inputs, at: loc)
}

/// An elementwise binary node attributed to `loc` (operators use their operands' lines, but a
/// shape mismatch inside an objective should name the user's call).
func elementwise(_ op: ScalarOp, _ a: Variable, _ b: Variable, at loc: SourceLocation) -> Variable {
    Variable(Build.binary(op, a.node, b.node, at: loc))
}

/// Lasagne's `align_targets`: predictions of shape (n, 1) with targets of shape (n) get the
/// targets as a column (n, 1), so the loss is per example instead of broadcasting to (n, n).
func alignTargets(_ predictions: Variable, _ targets: Variable, at loc: SourceLocation) -> Variable {
    let dims = predictions.type.shape
    guard predictions.rank == 2, targets.rank == 1, dims[1].constantValue == 1 else { return targets }
    return Variable(Build.dimshuffle(targets.node, [0, nil], at: loc))
}

/// A `.dtype` error unless `x` is floating point (predictions and probabilities).
func requireFloat(_ x: Variable, role: String, op: String, at loc: SourceLocation) -> GraphError? {
    guard !x.dtype.isFloatingPoint else { return nil }
    return GraphError(.dtype, op: op, "\(role) must be float, got \(x.type)", at: loc)
}
