import Hypatia

/// `x` with the norm of each unit clipped to `maxNorm` (Lasagne's `norm_constraint`), e.g.
/// applied to a weight's update: `updates[i].1 = normConstraint(updates[i].1, maxNorm: 3)`.
///
/// Norms are L2 norms over `normAxes` (kept as size-1 axes); the default is Lasagne's: axis 0
/// for rank 2 (a dense layer's W: one norm per output unit) and every axis but 0 for ranks
/// 3-5 (a convolution's filters: one norm per filter). The result is
/// `x · clip(norm, 0, maxNorm) / (ε + norm)`. Another rank without `normAxes` records an
/// `.argument` error with the caller's line.
public func normConstraint(_ x: Variable, maxNorm: Double, normAxes: [Int]? = nil, epsilon: Double = 1e-7,
                           file: String = #fileID, line: Int = #line) -> Variable {
    let loc = callSite(file, line)
    let axes: [Int]
    if let normAxes {
        axes = normAxes
    } else if x.rank == 2 {
        axes = [0]
    } else if (3...5).contains(x.rank) {
        axes = Array(1..<x.rank)
    } else {
        let error = GraphError(.argument, op: "normConstraint", "no default norm axes for \(x.type) "
                               + "(rank 2 to 5 have defaults): give normAxes", at: loc)
        return failed(error, type: x.type, inputs: [x], at: loc)
    }
    let squares = elementwise(.mul, x, x, at: loc)
    let norms = sqrt(squares.sum(axes: axes, keepDims: true, file: file, line: line), file: file, line: line)
    return x * scale(norms, maxNorm: maxNorm, epsilon: epsilon, file: file, line: line)
}

/// Gradients (or any tensors) rescaled so that their joint L2 norm is at most `maxNorm`
/// (Lasagne's `total_norm_constraint`): each is multiplied by
/// `clip(norm, 0, maxNorm) / (ε + norm)` with `norm = sqrt(Σ sum(g²))`. Feed the result to
/// the gradients form of an update rule.
public func totalNormConstraint(_ tensors: [Variable], maxNorm: Double, epsilon: Double = 1e-7,
                                file: String = #fileID, line: Int = #line) -> [Variable] {
    totalNormConstraintWithNorm(tensors, maxNorm: maxNorm, epsilon: epsilon, file: file, line: line).scaled
}

/// `totalNormConstraint` that also returns the total norm before scaling (Lasagne's
/// `return_norm=True`), e.g. to monitor it. An empty list records an `.argument` error.
public func totalNormConstraintWithNorm(_ tensors: [Variable], maxNorm: Double, epsilon: Double = 1e-7,
                                        file: String = #fileID, line: Int = #line)
    -> (scaled: [Variable], norm: Variable) {
    let loc = callSite(file, line)
    guard !tensors.isEmpty else {
        let error = GraphError(.argument, op: "totalNormConstraint", "no tensors to constrain", at: loc)
        return ([], failedScalar(error, dtype: .float32, inputs: [], at: loc))
    }
    let squaredSums = tensors.map { elementwise(.mul, $0, $0, at: loc).sum(file: file, line: line) }
    let norm = sqrt(squaredSums.dropFirst().reduce(squaredSums[0]) { elementwise(.add, $0, $1, at: loc) },
                    file: file, line: line)
    let multiplier = scale(norm, maxNorm: maxNorm, epsilon: epsilon, file: file, line: line)
    return (tensors.map { $0 * matched(multiplier, to: $0) }, norm)
}

/// `clip(norm, 0, maxNorm) / (ε + norm)`: the factor that brings a norm down to `maxNorm`.
private func scale(_ norm: Variable, maxNorm: Double, epsilon: Double, file: String, line: Int) -> Variable {
    clip(norm, 0, maxNorm, file: file, line: line) / (epsilon + norm)
}
