import GraphIR
import TensorRuntime

// MARK: - Linear algebra

/// numpy `dot` for ranks ≤ 2: vector·vector, matrix·vector, vector·matrix, matrix·matrix.
public func dot(_ a: Variable, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.dot(a.node, b.node, at: here(file, line)))
}

/// Batched matrix product: (b,m,k)·(b,k,n) → (b,m,n).
public func batchedDot(_ a: Variable, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.batchedDot(a.node, b.node, at: here(file, line)))
}

/// Outer product of two vectors: (m)⊗(n) → (m,n).
public func outer(_ a: Variable, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.outer(a.node, b.node, at: here(file, line)))
}

// MARK: - Neural-network functions

/// Numerically stable softmax along `axis` (default: the last).
public func softmax(_ x: Variable, axis: Int = -1, file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.softmax(x.node, axis: axis, at: here(file, line)))
}

/// Numerically stable log-softmax along `axis` (default: the last).
public func logSoftmax(_ x: Variable, axis: Int = -1, file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.logSoftmax(x.node, axis: axis, at: here(file, line)))
}

/// Per-row cross-entropy of probabilities `p` (n,k) with integer labels (n) or one-hot / soft
/// targets (n,k).
public func categoricalCrossentropy(_ p: Variable, _ target: Variable, file: String = #fileID,
                                    line: Int = #line) -> Variable {
    Variable(Build.categoricalCrossentropy(p.node, target.node, at: here(file, line)))
}

/// Elementwise `-(t*log(p) + (1-t)*log(1-p))`; targets of shape (n) next to probabilities of
/// shape (n, 1) are taken as a column (Lasagne's `align_targets`), not broadcast to (n, n).
public func binaryCrossentropy(_ p: Variable, _ target: Variable, file: String = #fileID,
                               line: Int = #line) -> Variable {
    Variable(Build.binaryCrossentropy(p.node, target.node, at: here(file, line)))
}

// MARK: - Gradient control

/// x itself in the forward pass, with a zero gradient (Theano's `consider_constant`).
public func stopGradient(_ x: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.stopGradient(x.node, at: here(file, line)))
}

/// Theano's name for `stopGradient`.
public func considerConstant(_ x: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    stopGradient(x, file: file, line: line)
}
