import HypatiaNN
import HypatiaTestSupport
import Testing

/// Norm constraints against float64 references, update orders, and the errors update rules
/// record.
@Suite struct UpdateConstraintTests {
    /// Lasagne's norm_constraint on flat values: norms over the axes that `unitOf` maps every
    /// flat index to the same unit.
    func constrained(_ x: RefArray, maxNorm: Double, unitOf: (Int) -> Int) -> RefArray {
        var squares: [Int: Double] = [:]
        for (i, v) in x.values.enumerated() { squares[unitOf(i), default: 0] += v * v }
        return RefArray(shape: x.shape, values: x.values.enumerated().map { i, v in
            let norm = squares[unitOf(i)]!.squareRoot()
            return v * Swift.min(norm, maxNorm) / (1e-7 + norm)
        })
    }

    @Test func normConstraintPerColumnOfADenseWeight() throws {
        let w = RandomData.uniform([4, 3], in: -2...2, seed: 21)
        let got = try evaluate([w.tensor()]) { normConstraint($0[0], maxNorm: 1.5) }
        expectClose(got, constrained(w, maxNorm: 1.5) { $0 % 3 }, rtol: 1e-12)
        let rows = try evaluate([w.tensor()]) { normConstraint($0[0], maxNorm: 1.5, normAxes: [1]) }
        expectClose(rows, constrained(w, maxNorm: 1.5) { $0 / 3 }, rtol: 1e-12)
    }

    @Test func normConstraintPerFilterOfAConvolution() throws {
        let filters = RandomData.uniform([3, 2, 2, 2], in: -1...1, seed: 22)
        let got = try evaluate([filters.tensor()]) { normConstraint($0[0], maxNorm: 1.2) }
        expectClose(got, constrained(filters, maxNorm: 1.2) { $0 / 8 }, rtol: 1e-12)
    }

    @Test func totalNormConstraintScalesJointly() throws {
        let a = RandomData.uniform([2, 3], in: -1...1, seed: 23), b = RandomData.uniform([3], in: -1...1, seed: 24)
        let norm = (a.values + b.values).map { $0 * $0 }.reduce(0, +).squareRoot()
        for maxNorm in [0.5, 10] {
            let inputs = [tensor("a", dtype: .float64, shape: [2, 3]), vector("b", dtype: .float64, shape: [3])]
            let (scaled, total) = totalNormConstraintWithNorm(inputs, maxNorm: maxNorm)
            let f = try function(inputs: inputs, outputs: scaled + [total])
            let out = try f.call([a.tensor(), b.tensor()])
            let factor = Swift.min(norm, maxNorm) / (1e-7 + norm)
            expectClose(RefArray(out[0]), a.map { $0 * factor }, rtol: 1e-12)
            expectClose(RefArray(out[1]), b.map { $0 * factor }, rtol: 1e-12)
            expectClose(RefArray(out[2]), RefArray(scalar: norm), rtol: 1e-12)
        }
    }

    @Test func momentumStateFollowsLasagnesOrderAndNames() {
        let w = shared(Tensor(zeros: [2]), name: "W"), b = shared(Tensor(zeros: [1]), name: "b")
        let loss = (w.sum() + b.sum()) * 2
        #expect(momentum(loss, params: [w, b], learningRate: 0.1).map(\.0.name) == ["W", "b", "W.velocity", "b.velocity"])
        #expect(adam(loss, params: [w, b]).map(\.0.name) == ["W.m", "W.v", "W", "b.m", "b.v", "b", "t"])
        #expect(adadelta(loss, params: [w, b]).map(\.0.name)
                == ["W.accu", "W", "W.deltaAccu", "b.accu", "b", "b.deltaAccu"])
    }

    @Test func mistakesRecordTypedErrorsWithTheCallersLine() {
        let w = shared(Tensor(zeros: [2]), name: "W"), b = shared(Tensor(zeros: [1]), name: "b")
        let (counted, l1) = (sgd(gradients: [w * 2], params: [w, b], learningRate: 0.1), #line)
        expectRecordedError(counted[0].1, kind: .argument, op: "sgd", line: l1)
        let (ranked, l2) = (adam(gradients: [w.sum()], params: [w]), #line)
        expectRecordedError(ranked[2].1, kind: .shape, op: "adam", line: l2)
        let (missing, l3) = (applyMomentum([(w, w * 0.5)], params: [b]), #line)
        expectRecordedError(missing[1].1, kind: .argument, op: "applyMomentum", line: l3)
        let (norm, l4) = (normConstraint(vector("v"), maxNorm: 1), #line)
        expectRecordedError(norm, kind: .argument, op: "normConstraint", line: l4)
    }

    @Test func nesterovOnTopOfAnotherRule() throws {
        let w = shared(try Tensor(shape: [2], values: [1, -2], dtype: .float64), name: "W")
        let updates = applyNesterovMomentum(adagrad((w * w).sum(), params: [w]), params: [w], momentum: 0.5)
        let f = try function(inputs: [], outputs: [], updates: updates)
        var p = [1.0, -2.0], accu = [0.0, 0.0], velocity = [0.0, 0.0]
        for _ in 0..<2 {
            _ = try f.call([])
            for i in 0..<2 {
                let g = 2 * p[i]
                accu[i] += g * g
                let inner = p[i] - g / (accu[i] + 1e-6).squareRoot()
                let x = 0.5 * velocity[i] + inner - p[i]
                velocity[i] = x
                p[i] = 0.5 * x + inner
            }
        }
        #expect(closeness(w.value.scalars, p, rtol: 1e-12, atol: 1e-12) <= 1, "\(w.value.scalars) vs \(p)")
    }
}
