import Hypatia

/// An ordered update list being built: setting a target again replaces its value in place
/// (Lasagne's OrderedDict), and every value is cast to its target's dtype (a float64
/// learning-rate variable must not turn a float32 parameter's update into float64).
struct UpdateList {
    private(set) var updates: Updates

    init(_ updates: Updates = []) {
        self.updates = updates
    }

    /// The value `target` is updated to, if it has one.
    func value(of target: SharedVariable) -> Variable? {
        updates.first(where: { $0.0 == target })?.1
    }

    /// Sets `target`'s update (replacing an earlier one in its position).
    mutating func set(_ target: SharedVariable, _ value: Variable) {
        let fitted = matched(value, to: target)
        if let i = updates.firstIndex(where: { $0.0 == target }) {
            updates[i].1 = fitted
        } else {
            updates.append((target, fitted))
        }
    }
}

/// A new shared accumulator shaped and typed like `param`'s value, filled with `value` and
/// named `"<param>.<role>"` (or `role` for an unnamed parameter).
func stateVariable(like param: SharedVariable, _ role: String, value: Double = 0,
                   at loc: SourceLocation) -> SharedVariable {
    let current = param.value
    let name = param.name.isEmpty ? role : "\(param.name).\(role)"
    return shared(Tensor(repeating: value, shape: current.shape, dtype: current.dtype), name: name,
                  file: loc.fileID, line: loc.line)
}

/// A new shared scalar (a step counter `t` or a schedule product), float64 when every
/// parameter is float64, else float32 (Lasagne uses floatX).
func scalarState(for params: [SharedVariable], _ name: String, value: Double, at loc: SourceLocation) -> SharedVariable {
    let dtype: DType = !params.isEmpty && params.allSatisfy({ $0.dtype == .float64 }) ? .float64 : .float32
    return shared(Tensor(value, dtype: dtype), name: name, file: loc.fileID, line: loc.line)
}

/// `base^exponent` for a number base and a scalar variable exponent (in the exponent's dtype).
func power(_ base: Double, _ exponent: Variable) -> Variable {
    let loc = exponent.node.location
    return Variable(Build.binary(.pow, Build.scalar(base, dtype: exponent.dtype, at: loc), exponent.node, at: loc))
}

/// The gradients of `loss` with respect to `params` (the loss form of every update rule).
func gradients(of loss: Variable, params: [SharedVariable], at loc: SourceLocation) -> [Variable] {
    grad(loss, wrt: params, file: loc.fileID, line: loc.line)
}

/// `gradients` checked against `params` (Lasagne's `get_or_compute_grads`): a count
/// mismatch records an `.argument` error on every result, a gradient whose rank differs from
/// its parameter's a `.shape` error on that one.
func checkedGradients(_ gradients: [Variable], params: [SharedVariable], op: String,
                      at loc: SourceLocation) -> [Variable] {
    guard gradients.count == params.count else {
        let error = GraphError(.argument, op: op, "got \(gradients.count) gradients for \(params.count) parameters",
                               at: loc)
        return params.map { failed(error, type: $0.type, inputs: gradients, at: loc) }
    }
    return zip(gradients, params).map { g, param in
        guard g.rank != param.rank else { return g }
        let error = GraphError(.shape, op: op, "gradient \(g.type) does not fit parameter "
                               + "\(param.name.isEmpty ? "<unnamed>" : "\"\(param.name)\"") \(param.type)", at: loc)
        return failed(error, type: param.type, inputs: [g], at: loc)
    }
}
