import Hypatia

/// Nadam: Adam with Nesterov momentum (Dozat 2016), with the formula and defaults of Keras 2's
/// `Nadam` (keras/optimizers.py, epsilon 1e-8 as in Keras 2.0; Lasagne has no Nadam).
///
/// With shared scalars `t` (zero) and `s` (the momentum-schedule product, one):
/// `t ← t + 1`, `μ_t = β1·(1 - ½·0.96^(t·scheduleDecay))`,
/// `μ_{t+1} = β1·(1 - ½·0.96^((t+1)·scheduleDecay))`, `s ← s·μ_t`, and per parameter
/// `m ← β1·m + (1 - β1)·g`, `v ← β2·v + (1 - β2)·g²`,
/// `m̄ = (1 - μ_t)·g / (1 - s_new) + μ_{t+1}·m_new / (1 - s_new·μ_{t+1})`,
/// `param ← param - learningRate·m̄ / (sqrt(v_new / (1 - β2^t)) + ε)`.
public func nadam(_ loss: Variable, params: [SharedVariable], learningRate: some Hyperparameter = 0.002,
                  beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, scheduleDecay: Double = 0.004,
                  file: String = #fileID, line: Int = #line) -> Updates {
    let loc = callSite(file, line)
    return nadamUpdates(gradients(of: loss, params: params, at: loc), params, learningRate.hyperparameterValue,
                        AdamConstants(beta1: beta1, beta2: beta2, epsilon: epsilon), scheduleDecay: scheduleDecay,
                        at: loc)
}

/// `nadam(_:params:learningRate:beta1:beta2:epsilon:scheduleDecay:)` with explicit gradients.
public func nadam(gradients: [Variable], params: [SharedVariable], learningRate: some Hyperparameter = 0.002,
                  beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, scheduleDecay: Double = 0.004,
                  file: String = #fileID, line: Int = #line) -> Updates {
    let loc = callSite(file, line)
    return nadamUpdates(checkedGradients(gradients, params: params, op: "nadam", at: loc), params,
                        learningRate.hyperparameterValue, AdamConstants(beta1: beta1, beta2: beta2, epsilon: epsilon),
                        scheduleDecay: scheduleDecay, at: loc)
}

private func nadamUpdates(_ grads: [Variable], _ params: [SharedVariable], _ learningRate: HyperparameterValue,
                          _ c: AdamConstants, scheduleDecay: Double, at loc: SourceLocation) -> Updates {
    var list = UpdateList()
    let tPrev = scalarState(for: params, "t", value: 0, at: loc)
    let schedule = scalarState(for: params, "mSchedule", value: 1, at: loc)
    let t = tPrev + 1
    let mu = c.beta1 * (1 - 0.5 * power(0.96, t * scheduleDecay))
    let muNext = c.beta1 * (1 - 0.5 * power(0.96, (t + 1) * scheduleDecay))
    let scheduleNew = schedule * mu
    let scheduleNext = scheduleNew * muNext
    let vCorrection = 1 - power(c.beta2, t)
    for (param, g) in zip(params, grads) {
        let m = stateVariable(like: param, "m", at: loc), v = stateVariable(like: param, "v", at: loc)
        let mNew = c.beta1 * m + (1 - c.beta1) * g
        let vNew = c.beta2 * v + (1 - c.beta2) * (g * g)
        let gPrime = g / matched(1 - scheduleNew, to: g)
        let mPrime = mNew / matched(1 - scheduleNext, to: g)
        let mBar = matched(1 - mu, to: g) * gPrime + matched(muNext, to: g) * mPrime
        let vPrime = vNew / matched(vCorrection, to: g)
        list.set(m, mNew)
        list.set(v, vNew)
        list.set(param, param - learningRate.times(mBar) / (sqrt(vPrime) + c.epsilon))
    }
    list.set(tPrev, t)
    list.set(schedule, scheduleNew)
    return list.updates
}
