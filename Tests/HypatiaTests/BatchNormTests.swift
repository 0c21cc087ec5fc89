import Foundation
import Hypatia
import HypatiaTestSupport
import Testing

/// Float64 batch statistics of `x` over `axes`: per-feature mean, biased and unbiased variance,
/// and for each element the index of its feature (row-major over the non-reduced axes).
struct BNReference {
    var mean: [Double] = []
    var variance: [Double] = []
    var unbiased: [Double] = []
    var featureOf: [Int] = []

    init(_ x: RefArray, axes: [Int]) {
        let statShape = x.shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        let statStrides = RefArray(shape: statShape, values: [Double](repeating: 0, count: statShape.reduce(1, *))).strides
        let strides = x.strides
        featureOf = x.values.indices.map { i in
            (0..<x.shape.count).reduce(0) { acc, axis in
                let index = (i / strides[axis]) % x.shape[axis]
                return acc + (axes.contains(axis) ? 0 : index * statStrides[axis])
            }
        }
        let features = statShape.reduce(1, *), n = Double(x.values.count / features)
        var sums = [Double](repeating: 0, count: features), squares = sums
        for (i, v) in x.values.enumerated() { sums[featureOf[i]] += v }
        mean = sums.map { $0 / n }
        for (i, v) in x.values.enumerated() { squares[featureOf[i]] += (v - mean[featureOf[i]]) * (v - mean[featureOf[i]]) }
        variance = squares.map { $0 / n }
        unbiased = squares.map { $0 / (n - 1) }
    }

    /// `(x - mean) / sqrt(variance + eps) · gamma + beta` per element, with per-feature arrays.
    func normalize(_ x: RefArray, mean: [Double], variance: [Double], gamma: [Double], beta: [Double],
                   eps: Double) -> [Double] {
        x.values.enumerated().map { i, v in
            let f = featureOf[i]
            return (v - mean[f]) / (variance[f] + eps).squareRoot() * gamma[f] + beta[f]
        }
    }
}

@Suite struct BatchNormTests {
    /// Train mode: with gamma 1 and beta 0 every feature has mean ≈ 0 and variance ≈ 1; with
    /// general gamma/beta the output matches the float64 reference (2-D over axis 0, 4-D over
    /// axes 0, 2, 3 with gamma shaped [1, C, 1, 1]).
    @Test(arguments: [([5, 3], [0], [3]), ([4, 2, 3, 3], [0, 2, 3], [1, 2, 1, 1])])
    func trainModeNormalizes(_ shape: [Int], _ axes: [Int], _ paramShape: [Int]) throws {
        let x = tensor("x", shape: shape.map { $0 }), g = tensor("g", shape: paramShape.map { $0 })
        let b = tensor("b", shape: paramShape.map { $0 })
        let f = try function(inputs: [x, g, b], outputs: [batchNormalization(x, gamma: g, beta: b, axes: axes)])
        let xv = RandomData.uniform(shape, in: -3...5, seed: 11)
        let features = paramShape.reduce(1, *)
        let ones = Tensor(ones: paramShape), zeros = Tensor(zeros: paramShape)
        let plain = try f(xv.tensor(.float32), ones, zeros)[0]
        let stats = BNReference(RefArray(plain), axes: axes)
        #expect(close(stats.mean, [Double](repeating: 0, count: features), tolerance: 1e-5), "\(stats.mean)")
        let reference = BNReference(xv, axes: axes)
        let expectedVariance = reference.variance.map { $0 / ($0 + 1e-4) }   // 1 up to epsilon
        #expect(close(stats.variance, expectedVariance, tolerance: 1e-4), "\(stats.variance)")
        #expect(stats.variance.allSatisfy { Swift.abs($0 - 1) < 1e-3 })
        let gv = RandomData.uniform(paramShape, in: 0.5...2, seed: 12), bv = RandomData.uniform(paramShape, in: -1...1, seed: 13)
        let out = try f(xv.tensor(.float32), gv.tensor(.float32), bv.tensor(.float32))[0]
        let expected = reference.normalize(xv, mean: reference.mean, variance: reference.variance,
                                           gamma: gv.values, beta: bv.values, eps: 1e-4)
        #expect(out.shape == shape)
        #expect(close(out.scalars, expected, tolerance: 1e-4))
    }

    /// Inference mode normalizes with the running averages, not the batch's statistics.
    @Test func inferenceUsesRunningAverages() throws {
        let state = try BatchNormState(shape: [nil, 3], axes: [0])
        try state.runningMean.setValue(try f32([1, 3], [0.5, -1, 2]))
        try state.runningVariance.setValue(try f32([1, 3], [4, 0.25, 1]))
        let x = matrix("x", shape: [nil, 3])
        let g = constant(try f32([3], [1, 2, 0.5])), b = constant(try f32([3], [0, 1, -1]))
        let f = try function(inputs: [x], outputs: [state.inference(x, gamma: g, beta: b),
                                                    state.training(x, gamma: g, beta: b).output])
        let xv = RandomData.uniform([6, 3], in: -2...4, seed: 21)
        let out = try f(xv.tensor(.float32))
        let reference = BNReference(xv, axes: [0])
        let expected = reference.normalize(xv, mean: [0.5, -1, 2], variance: [4, 0.25, 1], gamma: [1, 2, 0.5],
                                           beta: [0, 1, -1], eps: 1e-4)
        #expect(close(out[0].scalars, expected, tolerance: 1e-5))
        let train = reference.normalize(xv, mean: reference.mean, variance: reference.variance,
                                        gamma: [1, 2, 0.5], beta: [0, 1, -1], eps: 1e-4)
        #expect(close(out[1].scalars, train, tolerance: 1e-4))
        #expect(zip(out[0].scalars, out[1].scalars).contains { Swift.abs($0 - $1) > 0.1 }, "modes must differ")
    }

    /// After k calls with the updates, the running averages follow the recurrence
    /// running ← (1 - m)·running + m·stat (unbiased variance), computed here in float64.
    @Test func runningAveragesFollowRecurrence() throws {
        let momentum = 0.3
        let state = try BatchNormState(shape: [nil, 2, 2, 2], axes: [0, 2, 3], name: "bn1")
        #expect(state.runningMean.value.shape == [1, 2, 1, 1])
        #expect(state.runningMean.value.scalars == [0, 0] && state.runningVariance.value.scalars == [1, 1])
        let x = tensor4("x", shape: [nil, 2, 2, 2])
        let (out, updates) = state.training(x, gamma: constant(1.0), beta: constant(0.0), momentum: momentum)
        let f = try function(inputs: [x], outputs: [out], updates: updates)
        var mean = [0.0, 0.0], variance = [1.0, 1.0]
        for k in 0..<4 {
            let xv = RandomData.uniform([3 + k, 2, 2, 2], in: -1...Double(2 + k), seed: UInt64(30 + k))
            _ = try f(xv.tensor(.float32))
            let stats = BNReference(xv, axes: [0, 2, 3])
            mean = zip(mean, stats.mean).map { (1 - momentum) * $0 + momentum * $1 }
            variance = zip(variance, stats.unbiased).map { (1 - momentum) * $0 + momentum * $1 }
            #expect(close(state.runningMean.value.scalars, mean, tolerance: 1e-5), "call \(k + 1)")
            #expect(close(state.runningVariance.value.scalars, variance, tolerance: 1e-5), "call \(k + 1)")
        }
    }

    /// Gradients through the composite (batch statistics depend on x) match central differences.
    @Test(arguments: [([4, 3], [0], [3]), ([3, 2, 2, 2], [0, 2, 3], [1, 2, 1, 1])])
    func gradientsMatchCentralDifferences(_ shape: [Int], _ axes: [Int], _ paramShape: [Int]) throws {
        let weights = constant(RandomData.uniform(shape, in: -1...1, seed: 41).tensor(.float64))
        let points = [RandomData.uniform(shape, in: -2...2, seed: 42).tensor(),
                      RandomData.uniform(paramShape, in: 0.5...1.5, seed: 43).tensor(),
                      RandomData.uniform(paramShape, in: -1...1, seed: 44).tensor()]
        let check = try checkGradient({ p in
            (batchNormalization(p[0], gamma: p[1], beta: p[2], axes: axes) * weights).sum()
        }, at: points, tolerance: 1e-5)
        #expect(check.maxRelativeError.count == 3)
        let state = try BatchNormState(shape: shape, axes: axes, dtype: .float64)
        _ = try checkGradient({ p in
            (state.training(p[0], gamma: p[1], beta: p[2]).output * weights).sum()
        }, at: points, tolerance: 1e-5)
    }

    /// One SGD training run with batch norm (γ, β learned, running averages updated).
    static func trainingRun(mode: Mode) throws -> [[Double]] {
        let state = try BatchNormState(shape: [nil, 3], axes: [0])
        let x = matrix("x", shape: [nil, 4]), y = vector("y", dtype: .int32)
        let w = shared(RandomData.uniform([4, 3], in: -1...1, seed: 51).tensor(.float32), name: "w")
        let gamma = shared(Tensor(ones: [3]), name: "gamma"), beta = shared(Tensor(zeros: [3]), name: "beta")
        let (h, bnUpdates) = state.training(dot(x, w), gamma: gamma, beta: beta)
        let cost = categoricalCrossentropy(softmax(h), y).mean()
        let g = grad(cost, wrt: [w, gamma, beta])
        let sgd: [(SharedVariable, Variable)] = [(w, w - 0.5 * g[0]), (gamma, gamma - 0.5 * g[1]), (beta, beta - 0.5 * g[2])]
        let f = try function(inputs: [x, y], outputs: [cost, h], updates: sgd + bnUpdates, mode: mode)
        let xv = RandomData.uniform([6, 4], in: -2...2, seed: 52).tensor(.float32)
        let yv = try Tensor(shape: [6], values: [0, 1, 2, 2, 1, 0], dtype: .int32)
        var results: [[Double]] = []
        for _ in 0..<3 {
            let out = try f(xv, yv)
            results += [out[0].scalars, out[1].scalars]
        }
        return results + [w, gamma, beta, state.runningMean, state.runningVariance].map(\.value.scalars)
    }

    @Test func fastRunAgreesWithInterpreter() throws {
        let reference = try Self.trainingRun(mode: .interpret)
        let compiled = try Self.trainingRun(mode: .fastRun)
        #expect(reference.count == compiled.count)
        for (a, b) in zip(reference, compiled) { #expect(close(a, b, tolerance: 1e-5), "\(a) vs \(b)") }
        #expect(reference[4][0] < reference[0][0], "training lowers the cost")
    }

    /// A call that fails at run time (feature count not matching the running averages) throws
    /// and leaves the running averages as they were.
    @Test(arguments: [Mode.fastRun, .interpret])
    func failedCallLeavesRunningAveragesUnchanged(_ mode: Mode) throws {
        let state = try BatchNormState(shape: [nil, 3], axes: [0])
        let x = matrix("x")
        let (out, updates) = state.training(x, gamma: constant(1.0), beta: constant(0.0))
        let f = try function(inputs: [x], outputs: [out], updates: updates, mode: mode)
        _ = try f(RandomData.uniform([4, 3], in: 0...1, seed: 61).tensor(.float32))
        let (mean, variance) = (state.runningMean.value.scalars, state.runningVariance.value.scalars)
        #expect(mean != [0, 0, 0])
        #expect(throws: (any Error).self) { try f(RandomData.uniform([4, 5], in: 0...1, seed: 62).tensor(.float32)) }
        #expect(state.runningMean.value.scalars == mean)
        #expect(state.runningVariance.value.scalars == variance)
    }

    /// Bad state arguments throw typed errors instead of trapping.
    @Test func stateArgumentErrors() throws {
        for (shape, axes) in [([nil, 3], [2]), ([nil, 3], [0, -2]), ([nil, nil], [0])] as [([Int?], [Int])] {
            let error = graphError { try BatchNormState(shape: shape, axes: axes) }
            #expect(error?.kind == .argument)
            #expect(error?.op == "BatchNormState")
        }
        #expect(graphError { try BatchNormState(shape: [nil, 3], axes: [0], dtype: .int32) }?.kind == .argument)
    }
}
