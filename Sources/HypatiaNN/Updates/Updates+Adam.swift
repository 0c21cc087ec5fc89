import Hypatia

// Lasagne's adam and adamax, and Nadam as in Keras 2 (keras/optimizers.py `Nadam`; Lasagne
// has none). Each creates a shared step counter `t` (zero; float64 when every parameter is
// float64, else float32) updated to t + 1 after the per-parameter updates.

/// Adam (Lasagne's `adam`, Kingma & Ba 2014, with the bias correction folded into the step
/// size): `t ← t + 1`, `a = learningRate·sqrt(1 - β2^t) / (1 - β1^t)`, and per parameter
/// `m ← β1·m + (1 - β1)·g`, `v ← β2·v + (1 - β2)·g²`, `param ← param - a·m / (sqrt(v) + ε)`.
public func adam(_ loss: Variable, params: [SharedVariable], learningRate: some Hyperparameter = 0.001,
                 beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                 file: String = #fileID, line: Int = #line) -> Updates {
    let loc = callSite(file, line)
    return adamUpdates(gradients(of: loss, params: params, at: loc), params, learningRate.hyperparameterValue,
                       AdamConstants(beta1: beta1, beta2: beta2, epsilon: epsilon), at: loc)
}

/// `adam(_:params:learningRate:beta1:beta2:epsilon:)` with explicit gradients.
public func adam(gradients: [Variable], params: [SharedVariable], learningRate: some Hyperparameter = 0.001,
                 beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                 file: String = #fileID, line: Int = #line) -> Updates {
    let loc = callSite(file, line)
    return adamUpdates(checkedGradients(gradients, params: params, op: "adam", at: loc), params,
                       learningRate.hyperparameterValue, AdamConstants(beta1: beta1, beta2: beta2, epsilon: epsilon),
                       at: loc)
}

/// Adamax (Lasagne's `adamax`, the infinity-norm variant of Adam): `t ← t + 1`,
/// `a = learningRate / (1 - β1^t)`, and per parameter `m ← β1·m + (1 - β1)·g`,
/// `u ← max(β2·u, |g|)`, `param ← param - a·m / (u + ε)`.
public func adamax(_ loss: Variable, params: [SharedVariable], learningRate: some Hyperparameter = 0.002,
                   beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                   file: String = #fileID, line: Int = #line) -> Updates {
    let loc = callSite(file, line)
    return adamaxUpdates(gradients(of: loss, params: params, at: loc), params, learningRate.hyperparameterValue,
                         AdamConstants(beta1: beta1, beta2: beta2, epsilon: epsilon), at: loc)
}

/// `adamax(_:params:learningRate:beta1:beta2:epsilon:)` with explicit gradients.
public func adamax(gradients: [Variable], params: [SharedVariable], learningRate: some Hyperparameter = 0.002,
                   beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                   file: String = #fileID, line: Int = #line) -> Updates {
    let loc = callSite(file, line)
    return adamaxUpdates(checkedGradients(gradients, params: params, op: "adamax", at: loc), params,
                         learningRate.hyperparameterValue, AdamConstants(beta1: beta1, beta2: beta2, epsilon: epsilon),
                         at: loc)
}

/// Adam's decay rates and epsilon.
struct AdamConstants {
    let beta1: Double
    let beta2: Double
    let epsilon: Double
}

private func adamUpdates(_ grads: [Variable], _ params: [SharedVariable], _ learningRate: HyperparameterValue,
                         _ c: AdamConstants, at loc: SourceLocation) -> Updates {
    var list = UpdateList()
    let tPrev = scalarState(for: params, "t", value: 0, at: loc)
    let t = tPrev + 1
    let stepSize = learningRate.times(sqrt(1 - power(c.beta2, t)) / (1 - power(c.beta1, t)))
    for (param, g) in zip(params, grads) {
        let m = stateVariable(like: param, "m", at: loc), v = stateVariable(like: param, "v", at: loc)
        let mNew = c.beta1 * m + (1 - c.beta1) * g
        let vNew = c.beta2 * v + (1 - c.beta2) * (g * g)
        list.set(m, mNew)
        list.set(v, vNew)
        list.set(param, param - matched(stepSize, to: mNew) * mNew / (sqrt(vNew) + c.epsilon))
    }
    list.set(tPrev, t)
    return list.updates
}

private func adamaxUpdates(_ grads: [Variable], _ params: [SharedVariable], _ learningRate: HyperparameterValue,
                           _ c: AdamConstants, at loc: SourceLocation) -> Updates {
    var list = UpdateList()
    let tPrev = scalarState(for: params, "t", value: 0, at: loc)
    let t = tPrev + 1
    let stepSize = learningRate.times(1 / (1 - power(c.beta1, t)))
    for (param, g) in zip(params, grads) {
        let m = stateVariable(like: param, "m", at: loc), u = stateVariable(like: param, "u", at: loc)
        let mNew = c.beta1 * m + (1 - c.beta1) * g
        let uNew = maximum(c.beta2 * u, abs(g, file: loc.fileID, line: loc.line), file: loc.fileID, line: loc.line)
        list.set(m, mNew)
        list.set(u, uNew)
        list.set(param, param - matched(stepSize, to: mNew) * mNew / (uNew + c.epsilon))
    }
    list.set(tPrev, t)
    return list.updates
}
