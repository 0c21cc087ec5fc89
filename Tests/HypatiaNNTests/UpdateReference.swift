import Foundation
import HypatiaNN
import HypatiaTestSupport

/// The update rules under test.
enum Rule: String, CaseIterable, Sendable {
    case sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam, adamax, nadam

    /// The rule's updates with Lasagne's defaults, or `learningRate` when given (sgd and the
    /// momentum rules have no default: 0.1).
    func updates(_ loss: Variable, _ params: [SharedVariable], learningRate: Double? = nil) -> Updates {
        switch self {
        case .sgd: return HypatiaNN.sgd(loss, params: params, learningRate: learningRate ?? 0.1)
        case .momentum: return HypatiaNN.momentum(loss, params: params, learningRate: learningRate ?? 0.1)
        case .nesterov: return nesterovMomentum(loss, params: params, learningRate: learningRate ?? 0.1)
        case .adagrad: return learningRate.map { HypatiaNN.adagrad(loss, params: params, learningRate: $0) }
            ?? HypatiaNN.adagrad(loss, params: params)
        case .rmsprop: return learningRate.map { HypatiaNN.rmsprop(loss, params: params, learningRate: $0) }
            ?? HypatiaNN.rmsprop(loss, params: params)
        case .adadelta: return learningRate.map { HypatiaNN.adadelta(loss, params: params, learningRate: $0) }
            ?? HypatiaNN.adadelta(loss, params: params)
        case .adam: return learningRate.map { HypatiaNN.adam(loss, params: params, learningRate: $0) }
            ?? HypatiaNN.adam(loss, params: params)
        case .adamax: return learningRate.map { HypatiaNN.adamax(loss, params: params, learningRate: $0) }
            ?? HypatiaNN.adamax(loss, params: params)
        case .nadam: return learningRate.map { HypatiaNN.nadam(loss, params: params, learningRate: $0) }
            ?? HypatiaNN.nadam(loss, params: params)
        }
    }

    /// The gradients form of the rule with Lasagne's defaults (0.1 where there is none).
    func updates(gradients g: [Variable], _ params: [SharedVariable]) -> Updates {
        switch self {
        case .sgd: return HypatiaNN.sgd(gradients: g, params: params, learningRate: 0.1)
        case .momentum: return HypatiaNN.momentum(gradients: g, params: params, learningRate: 0.1)
        case .nesterov: return nesterovMomentum(gradients: g, params: params, learningRate: 0.1)
        case .adagrad: return HypatiaNN.adagrad(gradients: g, params: params)
        case .rmsprop: return HypatiaNN.rmsprop(gradients: g, params: params)
        case .adadelta: return HypatiaNN.adadelta(gradients: g, params: params)
        case .adam: return HypatiaNN.adam(gradients: g, params: params)
        case .adamax: return HypatiaNN.adamax(gradients: g, params: params)
        case .nadam: return HypatiaNN.nadam(gradients: g, params: params)
        }
    }

    /// Lasagne's default learning rate (0.1 for the rules without one, as in `updates`).
    var defaultLearningRate: Double {
        switch self {
        case .sgd, .momentum, .nesterov: return 0.1
        case .adagrad, .rmsprop, .adadelta: return 1
        case .adam: return 0.001
        case .adamax, .nadam: return 0.002
        }
    }
}

/// A float64 re-implementation of each rule's formula (Lasagne's, Keras 2's for Nadam) on
/// flat arrays; `state` holds every accumulator by the name the library gives it.
struct ReferenceOptimizer {
    let rule: Rule
    let learningRate: Double
    var state: [String: [Double]] = [:]
    /// The element count of each parameter, by name.
    private var sizes: [String: Int] = [:]

    init(rule: Rule, learningRate: Double) {
        self.rule = rule
        self.learningRate = learningRate
    }

    /// One step of the rule: updates `params` (by name) from `grads` and the state.
    mutating func step(_ params: inout [String: [Double]], grads: [String: [Double]], order: [String]) {
        let t = (state["t"]?[0] ?? 0) + 1
        if [.adam, .adamax, .nadam].contains(rule) { state["t"] = [t] }
        var scheduleFactors = (mu: 0.0, muNext: 0.0, new: 0.0)
        if rule == .nadam {
            let mu = 0.9 * (1 - 0.5 * pow(0.96, t * 0.004)), muNext = 0.9 * (1 - 0.5 * pow(0.96, (t + 1) * 0.004))
            let new = (state["mSchedule"]?[0] ?? 1) * mu
            state["mSchedule"] = [new]
            scheduleFactors = (mu, muNext, new)
        }
        for name in order {
            sizes[name] = params[name]!.count
            for i in params[name]!.indices {
                params[name]![i] = element(name, i, p: params[name]![i], g: grads[name]![i], t: t,
                                           schedule: scheduleFactors)
            }
        }
    }

    /// The state value `name.role` at element i (zero before the first step).
    private func get(_ name: String, _ role: String, _ i: Int) -> Double {
        state["\(name).\(role)"]?[i] ?? 0
    }

    private mutating func put(_ name: String, _ role: String, _ i: Int, _ value: Double) {
        let key = "\(name).\(role)"
        if state[key] == nil { state[key] = [Double](repeating: 0, count: sizes[name]!) }
        state[key]![i] = value
    }

    /// The new value of one parameter element.
    private mutating func element(_ name: String, _ i: Int, p: Double, g: Double, t: Double,
                                  schedule: (mu: Double, muNext: Double, new: Double)) -> Double {
        let lr = learningRate
        switch rule {
        case .sgd:
            return p - lr * g
        case .momentum:
            let x = 0.9 * get(name, "velocity", i) + (p - lr * g)
            put(name, "velocity", i, x - p)
            return x
        case .nesterov:
            let x = 0.9 * get(name, "velocity", i) - lr * g
            put(name, "velocity", i, x)
            return 0.9 * x + (p - lr * g)
        case .adagrad, .rmsprop:
            let a = rule == .adagrad ? get(name, "accu", i) + g * g : 0.9 * get(name, "accu", i) + 0.1 * g * g
            put(name, "accu", i, a)
            return p - lr * g / (a + 1e-6).squareRoot()
        case .adadelta:
            let a = 0.95 * get(name, "accu", i) + 0.05 * g * g
            let u = g * (get(name, "deltaAccu", i) + 1e-6).squareRoot() / (a + 1e-6).squareRoot()
            put(name, "accu", i, a)
            put(name, "deltaAccu", i, 0.95 * get(name, "deltaAccu", i) + 0.05 * u * u)
            return p - lr * u
        case .adam, .adamax, .nadam:
            return adamElement(name, i, p: p, g: g, t: t, schedule: schedule)
        }
    }

    private mutating func adamElement(_ name: String, _ i: Int, p: Double, g: Double, t: Double,
                                      schedule: (mu: Double, muNext: Double, new: Double)) -> Double {
        let m = 0.9 * get(name, "m", i) + 0.1 * g
        put(name, "m", i, m)
        if rule == .adamax {
            let u = Swift.max(0.999 * get(name, "u", i), Swift.abs(g))
            put(name, "u", i, u)
            return p - learningRate / (1 - pow(0.9, t)) * m / (u + 1e-8)
        }
        let v = 0.999 * get(name, "v", i) + 0.001 * g * g
        put(name, "v", i, v)
        if rule == .adam {
            let a = learningRate * (1 - pow(0.999, t)).squareRoot() / (1 - pow(0.9, t))
            return p - a * m / (v.squareRoot() + 1e-8)
        }
        let gPrime = g / (1 - schedule.new), mPrime = m / (1 - schedule.new * schedule.muNext)
        let mBar = (1 - schedule.mu) * gPrime + schedule.muNext * mPrime
        let vPrime = v / (1 - pow(0.999, t))
        return p - learningRate * mBar / (vPrime.squareRoot() + 1e-8)
    }
}
