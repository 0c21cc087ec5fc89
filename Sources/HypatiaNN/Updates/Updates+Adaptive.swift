import Hypatia

// Lasagne's adagrad, rmsprop and adadelta (per-parameter accumulators, Lasagne's defaults).

/// Adagrad (Lasagne's `adagrad`, Duchi et al. 2011): with an accumulator `a` per parameter
/// (zeros, `"<param>.accu"`), `a ← a + g²`, `param ← param - learningRate·g / sqrt(a_new + ε)`.
public func adagrad(_ loss: Variable, params: [SharedVariable], learningRate: some Hyperparameter = 1.0,
                    epsilon: Double = 1e-6, file: String = #fileID, line: Int = #line) -> Updates {
    let loc = callSite(file, line)
    return accumulated(gradients(of: loss, params: params, at: loc), params, learningRate.hyperparameterValue,
                       rho: nil, epsilon: epsilon, at: loc)
}

/// `adagrad(_:params:learningRate:epsilon:)` with explicit gradients.
public func adagrad(gradients: [Variable], params: [SharedVariable], learningRate: some Hyperparameter = 1.0,
                    epsilon: Double = 1e-6, file: String = #fileID, line: Int = #line) -> Updates {
    let loc = callSite(file, line)
    return accumulated(checkedGradients(gradients, params: params, op: "adagrad", at: loc), params,
                       learningRate.hyperparameterValue, rho: nil, epsilon: epsilon, at: loc)
}

/// RMSProp (Lasagne's `rmsprop`, Tieleman & Hinton 2012): with an accumulator `a` per
/// parameter (zeros, `"<param>.accu"`), `a ← rho·a + (1 - rho)·g²`,
/// `param ← param - learningRate·g / sqrt(a_new + ε)`.
public func rmsprop(_ loss: Variable, params: [SharedVariable], learningRate: some Hyperparameter = 1.0,
                    rho: Double = 0.9, epsilon: Double = 1e-6, file: String = #fileID, line: Int = #line) -> Updates {
    let loc = callSite(file, line)
    return accumulated(gradients(of: loss, params: params, at: loc), params, learningRate.hyperparameterValue,
                       rho: rho, epsilon: epsilon, at: loc)
}

/// `rmsprop(_:params:learningRate:rho:epsilon:)` with explicit gradients.
public func rmsprop(gradients: [Variable], params: [SharedVariable], learningRate: some Hyperparameter = 1.0,
                    rho: Double = 0.9, epsilon: Double = 1e-6, file: String = #fileID, line: Int = #line) -> Updates {
    let loc = callSite(file, line)
    return accumulated(checkedGradients(gradients, params: params, op: "rmsprop", at: loc), params,
                       learningRate.hyperparameterValue, rho: rho, epsilon: epsilon, at: loc)
}

/// Adagrad (`rho` nil: a plain sum of squares) or RMSProp (a decaying average).
private func accumulated(_ grads: [Variable], _ params: [SharedVariable], _ learningRate: HyperparameterValue,
                         rho: Double?, epsilon: Double, at loc: SourceLocation) -> Updates {
    var list = UpdateList()
    for (param, g) in zip(params, grads) {
        let accu = stateVariable(like: param, "accu", at: loc)
        let accuNew = rho.map { $0 * accu + (1 - $0) * (g * g) } ?? accu + g * g
        list.set(accu, accuNew)
        list.set(param, param - learningRate.times(g) / sqrt(accuNew + epsilon))
    }
    return list.updates
}

/// Adadelta (Lasagne's `adadelta`, Zeiler 2012): with accumulators `a` (`"<param>.accu"`)
/// and `d` (`"<param>.deltaAccu"`), `a ← rho·a + (1 - rho)·g²`,
/// `u = g·sqrt(d + ε) / sqrt(a_new + ε)`, `param ← param - learningRate·u`,
/// `d ← rho·d + (1 - rho)·u²` (the step uses the old `d`).
public func adadelta(_ loss: Variable, params: [SharedVariable], learningRate: some Hyperparameter = 1.0,
                     rho: Double = 0.95, epsilon: Double = 1e-6, file: String = #fileID, line: Int = #line) -> Updates {
    let loc = callSite(file, line)
    return adadeltaUpdates(gradients(of: loss, params: params, at: loc), params, learningRate.hyperparameterValue,
                           rho: rho, epsilon: epsilon, at: loc)
}

/// `adadelta(_:params:learningRate:rho:epsilon:)` with explicit gradients.
public func adadelta(gradients: [Variable], params: [SharedVariable], learningRate: some Hyperparameter = 1.0,
                     rho: Double = 0.95, epsilon: Double = 1e-6, file: String = #fileID, line: Int = #line) -> Updates {
    let loc = callSite(file, line)
    return adadeltaUpdates(checkedGradients(gradients, params: params, op: "adadelta", at: loc), params,
                           learningRate.hyperparameterValue, rho: rho, epsilon: epsilon, at: loc)
}

private func adadeltaUpdates(_ grads: [Variable], _ params: [SharedVariable], _ learningRate: HyperparameterValue,
                             rho: Double, epsilon: Double, at loc: SourceLocation) -> Updates {
    var list = UpdateList()
    for (param, g) in zip(params, grads) {
        let accu = stateVariable(like: param, "accu", at: loc)
        let deltaAccu = stateVariable(like: param, "deltaAccu", at: loc)
        let accuNew = rho * accu + (1 - rho) * (g * g)
        list.set(accu, accuNew)
        let update = g * sqrt(deltaAccu + epsilon) / sqrt(accuNew + epsilon)
        list.set(param, param - learningRate.times(update))
        list.set(deltaAccu, rho * deltaAccu + (1 - rho) * (update * update))
    }
    return list.updates
}
