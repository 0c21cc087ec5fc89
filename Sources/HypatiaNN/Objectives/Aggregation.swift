import Hypatia

/// How `aggregate` turns elementwise or per-example losses into a scalar (Lasagne's `mode`).
public enum Aggregation: Sendable, Hashable {
    /// The mean of the (weighted) losses.
    case mean
    /// The sum of the (weighted) losses.
    case sum
    /// The sum of the weighted losses divided by the sum of the weights (needs weights).
    case normalizedSum
}

/// A scalar loss from elementwise or per-example losses (Lasagne's `aggregate`).
///
/// With `weights` (broadcast against `loss`, e.g. a per-example vector or a mask) the losses
/// are multiplied by them first: `.mean` gives `mean(loss·w)`, `.sum` gives `sum(loss·w)` and
/// `.normalizedSum` gives `sum(loss·w) / sum(w)`. `.normalizedSum` without weights records
/// an `.argument` error with the caller's line.
public func aggregate(_ loss: Variable, weights: Variable? = nil, mode: Aggregation = .mean,
                      file: String = #fileID, line: Int = #line) -> Variable {
    let loc = callSite(file, line)
    let weighted = weights.map { elementwise(.mul, loss, $0, at: loc) } ?? loss
    switch mode {
    case .mean:
        return weighted.mean(file: file, line: line)
    case .sum:
        return weighted.sum(file: file, line: line)
    case .normalizedSum:
        guard let weights else {
            let error = GraphError(.argument, op: "aggregate", "mode .normalizedSum needs weights", at: loc)
            return failedScalar(error, dtype: loss.dtype, inputs: [loss], at: loc)
        }
        return elementwise(.div, weighted.sum(file: file, line: line), weights.sum(file: file, line: line), at: loc)
    }
}
