import HypatiaNN
import HypatiaTestSupport
import Testing

/// A separable quadratic `½ Σ d·(W - c)² + ½ Σ e·(b - k)²` over a matrix and a vector.
struct Quadratic {
    let w0 = RandomData.uniform([2, 3], in: -1...1, seed: 11), b0 = RandomData.uniform([3], in: -1...1, seed: 12)
    let cw = RandomData.uniform([2, 3], in: -1...1, seed: 13), cb = RandomData.uniform([3], in: -1...1, seed: 14)
    let dw = RandomData.uniform([2, 3], in: 0.5...2, seed: 15), db = RandomData.uniform([3], in: 0.5...2, seed: 16)

    /// Fresh shared parameters "W" and "b" of `dtype` at the starting point.
    func parameters(_ dtype: DType = .float64) -> [SharedVariable] {
        [shared(w0.tensor(dtype), name: "W"), shared(b0.tensor(dtype), name: "b")]
    }

    /// The symbolic loss of `params`.
    func loss(_ params: [SharedVariable]) -> Variable {
        let dtype = params[0].dtype
        let terms = zip(params, [(dw, cw), (db, cb)]).map { p, dc in
            let gap = p - constant(dc.1.tensor(dtype))
            return (constant(dc.0.tensor(dtype)) * gap * gap).sum()
        }
        return 0.5 * (terms[0] + terms[1])
    }

    /// The gradients at `params` (by name), in float64.
    func gradients(_ params: [String: [Double]]) -> [String: [Double]] {
        ["W": zip(params["W"]!, zip(dw.values, cw.values)).map { $1.0 * ($0 - $1.1) },
         "b": zip(params["b"]!, zip(db.values, cb.values)).map { $1.0 * ($0 - $1.1) }]
    }

    /// The starting point by name.
    var start: [String: [Double]] { ["W": w0.values, "b": b0.values] }
}

/// Each update rule against a float64 re-implementation of its formula, and on convergence.
@Suite struct UpdateRuleTests {
    let problem = Quadratic()

    /// Runs `updates` for `steps` calls and compares parameters and every state variable
    /// (by name) with the reference after each step.
    func expectMatchesReference(_ updates: Updates, params: [SharedVariable], reference: ReferenceOptimizer,
                                steps: Int = 3, rtol: Double = 1e-9,
                                sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let f = try function(inputs: [], outputs: [], updates: updates)
        var reference = reference, expected = problem.start
        for _ in 0..<steps {
            _ = try f.call([])
            reference.step(&expected, grads: problem.gradients(expected), order: ["W", "b"])
        }
        for param in params {
            #expect(closeness(param.value.scalars, expected[param.name]!, rtol: rtol, atol: rtol) <= 1,
                    "\(param.name): \(param.value.scalars) vs \(expected[param.name]!)", sourceLocation: sourceLocation)
        }
        let states = updates.map(\.0).filter { !params.contains($0) }
        #expect(Set(states.map(\.name)) == Set(reference.state.keys), sourceLocation: sourceLocation)
        for state in states {
            let want = reference.state[state.name] ?? []
            #expect(closeness(state.value.scalars, want, rtol: rtol, atol: rtol) <= 1,
                    "\(state.name): \(state.value.scalars) vs \(want)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: Rule.allCases)
    func threeStepsMatchTheFormula(rule: Rule) throws {
        let params = problem.parameters()
        let updates = rule.updates(problem.loss(params), params)
        try expectMatchesReference(updates, params: params,
                                   reference: ReferenceOptimizer(rule: rule, learningRate: rule.defaultLearningRate))
    }

    @Test(arguments: Rule.allCases)
    func threeStepsOfTheGradientsFormMatchTheFormula(rule: Rule) throws {
        let params = problem.parameters()
        let updates = rule.updates(gradients: grad(problem.loss(params), wrt: params), params)
        try expectMatchesReference(updates, params: params,
                                   reference: ReferenceOptimizer(rule: rule, learningRate: rule.defaultLearningRate))
    }

    @Test(arguments: Rule.allCases)
    func fiftyStepsLowerTheLoss(rule: Rule) throws {
        let rates: [Rule: Double] = [.sgd: 0.1, .momentum: 0.05, .nesterov: 0.05, .adagrad: 0.5, .rmsprop: 0.05,
                                     .adadelta: 1, .adam: 0.05, .adamax: 0.05, .nadam: 0.05]
        let params = problem.parameters(.float32)
        let loss = problem.loss(params)
        let f = try function(inputs: [], outputs: [loss], updates: rule.updates(loss, params, learningRate: rates[rule]))
        let first = try f.call([])[0].scalar
        var last = first
        for _ in 0..<50 { last = try f.call([])[0].scalar }
        let factor = rule == .adadelta ? 0.9 : 0.1
        #expect(last < factor * first, "\(rule): loss \(first) → \(last)")
    }

    @Test func gradientsFormTakesClippedGradients() throws {
        let params = problem.parameters()
        let grads = totalNormConstraint(grad(problem.loss(params), wrt: params), maxNorm: 0.5)
        let updates = sgd(gradients: grads, params: params, learningRate: 0.1)
        let f = try function(inputs: [], outputs: [], updates: updates)
        _ = try f.call([])
        let g = problem.gradients(problem.start)
        let norm = (g["W"]! + g["b"]!).map { $0 * $0 }.reduce(0, +).squareRoot()
        let scale = Swift.min(norm, 0.5) / (1e-7 + norm)
        for param in params {
            let expected = zip(problem.start[param.name]!, g[param.name]!).map { $0 - 0.1 * scale * $1 }
            #expect(closeness(param.value.scalars, expected, rtol: 1e-12, atol: 1e-12) <= 1)
        }
    }

    @Test func adamWithFloat32ParametersAndAFloat64LearningRateVariable() throws {
        let params = problem.parameters(.float32)
        let rate = shared(Tensor(0.01, dtype: .float64), name: "lr")
        let updates = adam(problem.loss(params), params: params, learningRate: rate)
        #expect(updates.allSatisfy { $0.1.dtype == $0.0.dtype })
        try expectMatchesReference(updates, params: params, reference: ReferenceOptimizer(rule: .adam, learningRate: 0.01),
                                   rtol: 1e-4)
    }

    @Test func sharedLearningRateActsAsASchedule() throws {
        let params = problem.parameters()
        let rate = shared(Tensor(0.0, dtype: .float64), name: "lr")
        let f = try function(inputs: [], outputs: [], updates: momentum(problem.loss(params), params: params,
                                                                          learningRate: rate))
        _ = try f.call([])
        #expect(params[0].value.scalars == problem.start["W"]!)
        try rate.setValue(Tensor(0.1, dtype: .float64))
        _ = try f.call([])
        let g = problem.gradients(problem.start)["W"]!
        let expected = zip(problem.start["W"]!, g).map { $0 - 0.1 * $1 }
        #expect(closeness(params[0].value.scalars, expected, rtol: 1e-12, atol: 1e-12) <= 1)
    }
}
