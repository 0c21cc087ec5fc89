import GraphIR
import TensorRuntime

/// What `grad` does for a variable the cost does not depend on.
public enum DisconnectedInputs: Sendable, Hashable {
    /// The gradient records a `.disconnected` error (thrown by `function` or `check()`).
    case raise
    /// The gradient is zeros shaped like the variable.
    case zero
}

/// Reverse-mode gradients of a scalar `cost` with respect to `wrt`, as new variables (so they
/// can be compiled, optimised and differentiated again).
///
/// `knownGrads` seeds the gradients of intermediate variables (Theano's `known_grads`).
/// Mistakes (a non-scalar cost, a disconnected variable under `.raise`) are recorded on the
/// returned variables and thrown by `function(...)` or `check()`.
public func grad(_ cost: Variable, wrt: [Variable], knownGrads: [(Variable, Variable)] = [],
                 disconnectedInputs: DisconnectedInputs = .raise,
                 file: String = #fileID, line: Int = #line) -> [Variable] {
    let policy: DisconnectedPolicy
    switch disconnectedInputs {
    case .raise: policy = .raise
    case .zero: policy = .zero
    }
    let nodes = gradients(of: cost.node, wrt: wrt.map(\.node), knownGrads: knownGrads.map { ($0.0.node, $0.1.node) },
                          disconnected: policy, at: here(file, line))
    return nodes.map(Variable.init)
}

/// The gradient of a scalar `cost` with respect to one variable.
public func grad(_ cost: Variable, wrt: Variable, knownGrads: [(Variable, Variable)] = [],
                 disconnectedInputs: DisconnectedInputs = .raise,
                 file: String = #fileID, line: Int = #line) -> Variable {
    grad(cost, wrt: [wrt], knownGrads: knownGrads, disconnectedInputs: disconnectedInputs,
         file: file, line: line)[0]
}
