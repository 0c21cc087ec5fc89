import Hypatia

// Lasagne's sgd, momentum, nesterov_momentum, apply_momentum and apply_nesterov_momentum.
// Every rule has a loss form (gradients by `grad`) and a gradients form (e.g. clipped with
// `totalNormConstraint`); learning rate and momentum are numbers or scalar variables.

/// Stochastic gradient descent: `param ← param - learningRate · grad` (Lasagne's `sgd`).
public func sgd(_ loss: Variable, params: [SharedVariable], learningRate: some Hyperparameter,
                file: String = #fileID, line: Int = #line) -> Updates {
    let loc = callSite(file, line)
    return sgdUpdates(gradients(of: loss, params: params, at: loc), params, learningRate.hyperparameterValue)
}

/// `sgd(_:params:learningRate:)` with explicit gradients, one per parameter.
public func sgd(gradients: [Variable], params: [SharedVariable], learningRate: some Hyperparameter,
                file: String = #fileID, line: Int = #line) -> Updates {
    let grads = checkedGradients(gradients, params: params, op: "sgd", at: callSite(file, line))
    return sgdUpdates(grads, params, learningRate.hyperparameterValue)
}

private func sgdUpdates(_ grads: [Variable], _ params: [SharedVariable], _ learningRate: HyperparameterValue) -> Updates {
    var list = UpdateList()
    for (param, g) in zip(params, grads) {
        list.set(param, param - learningRate.times(g))
    }
    return list.updates
}

/// SGD with classical momentum (Lasagne's `momentum`): with a velocity `v` per parameter
/// (zeros), `x = momentum·v - learningRate·grad + param`, then `v ← x - param`, `param ← x`.
public func momentum(_ loss: Variable, params: [SharedVariable], learningRate: some Hyperparameter,
                     momentum: some Hyperparameter = 0.9, file: String = #fileID, line: Int = #line) -> Updates {
    let plain = sgd(loss, params: params, learningRate: learningRate, file: file, line: line)
    return applyMomentum(plain, params: params, momentum: momentum, file: file, line: line)
}

/// `momentum(_:params:learningRate:momentum:)` with explicit gradients.
public func momentum(gradients: [Variable], params: [SharedVariable], learningRate: some Hyperparameter,
                     momentum: some Hyperparameter = 0.9, file: String = #fileID, line: Int = #line) -> Updates {
    let plain = sgd(gradients: gradients, params: params, learningRate: learningRate, file: file, line: line)
    return applyMomentum(plain, params: params, momentum: momentum, file: file, line: line)
}

/// SGD with Nesterov momentum (Lasagne's `nesterov_momentum`): with a velocity `v` per
/// parameter, `x = momentum·v - learningRate·grad`, then `v ← x`,
/// `param ← param + momentum·x - learningRate·grad`.
public func nesterovMomentum(_ loss: Variable, params: [SharedVariable], learningRate: some Hyperparameter,
                             momentum: some Hyperparameter = 0.9, file: String = #fileID,
                             line: Int = #line) -> Updates {
    let plain = sgd(loss, params: params, learningRate: learningRate, file: file, line: line)
    return applyNesterovMomentum(plain, params: params, momentum: momentum, file: file, line: line)
}

/// `nesterovMomentum(_:params:learningRate:momentum:)` with explicit gradients.
public func nesterovMomentum(gradients: [Variable], params: [SharedVariable], learningRate: some Hyperparameter,
                             momentum: some Hyperparameter = 0.9, file: String = #fileID,
                             line: Int = #line) -> Updates {
    let plain = sgd(gradients: gradients, params: params, learningRate: learningRate, file: file, line: line)
    return applyNesterovMomentum(plain, params: params, momentum: momentum, file: file, line: line)
}

/// Adds classical momentum to any update rule (Lasagne's `apply_momentum`).
///
/// For each parameter in `params` (default, as in Lasagne: every updated variable, which
/// includes the accumulators of adaptive rules; pass `params` to add momentum to the
/// parameters only) a new velocity `v` (zeros, named `"<param>.velocity"`) is created and, with `u` the given update,
/// `x = momentum·v + u`, `v ← x - param`, `param ← x`. The velocity updates are appended; a
/// parameter without an update records an `.argument` error with the caller's line.
public func applyMomentum(_ updates: Updates, params: [SharedVariable]? = nil, momentum: some Hyperparameter = 0.9,
                          file: String = #fileID, line: Int = #line) -> Updates {
    let loc = callSite(file, line)
    return withVelocities(updates, params: params, op: "applyMomentum", at: loc) { param, update, velocity in
        let x = momentum.hyperparameterValue.times(velocity) + update
        return (param: x, velocity: x - param)
    }
}

/// Adds Nesterov momentum to any update rule (Lasagne's `apply_nesterov_momentum`).
///
/// For each parameter a new velocity `v` (zeros) is created and, with `u` the given update,
/// `x = momentum·v + u - param`, `v ← x`, `param ← momentum·x + u`. Errors as in
/// `applyMomentum`.
public func applyNesterovMomentum(_ updates: Updates, params: [SharedVariable]? = nil,
                                  momentum: some Hyperparameter = 0.9, file: String = #fileID,
                                  line: Int = #line) -> Updates {
    let loc = callSite(file, line)
    let m = momentum.hyperparameterValue
    return withVelocities(updates, params: params, op: "applyNesterovMomentum", at: loc) { param, update, velocity in
        let x = m.times(velocity) + update - param
        return (param: m.times(x) + update, velocity: x)
    }
}

/// The shared part of the momentum wrappers: a velocity per parameter and the new
/// (parameter, velocity) values from `rule(param, update, velocity)`.
private func withVelocities(_ updates: Updates, params: [SharedVariable]?, op: String, at loc: SourceLocation,
                            rule: (SharedVariable, Variable, SharedVariable) -> (param: Variable, velocity: Variable))
    -> Updates {
    var list = UpdateList(updates)
    for param in params ?? updates.map(\.0) {
        guard let update = list.value(of: param) else {
            let error = GraphError(.argument, op: op, "parameter \(param.name.isEmpty ? "<unnamed>" : param.name) "
                                   + "has no update to add momentum to", at: loc)
            list.set(param, failed(error, type: param.type, inputs: [param], at: loc))
            continue
        }
        let velocity = stateVariable(like: param, "velocity", at: loc)
        let new = rule(param, update, velocity)
        list.set(velocity, new.velocity)
        list.set(param, new.param)
    }
    return list.updates
}
