import Foundation
import HypatiaNN
import HypatiaTestSupport
import Testing

/// Sample mean and variance.
func moments(_ values: [Double]) -> (mean: Double, variance: Double) {
    let mean = values.reduce(0, +) / Double(values.count)
    return (mean, values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count))
}

struct VarianceCase: Sendable, CustomStringConvertible {
    let name: String
    let initializer: any Initializer
    let shape: [Int]
    let variance: Double
    var description: String { "\(name) \(shape)" }
}

@Suite struct InitializerTests {
    static let cases: [VarianceCase] = [
        VarianceCase(name: "glorotUniform", initializer: GlorotUniform(), shape: [200, 300], variance: 2.0 / 500),
        VarianceCase(name: "glorotNormal relu", initializer: GlorotNormal(gain: 2.0.squareRoot()), shape: [200, 300],
                     variance: 2 * 2.0 / 500),
        VarianceCase(name: "glorotUniform conv", initializer: GlorotUniform(), shape: [32, 16, 3, 3],
                     variance: 2.0 / (48 * 9)),
        VarianceCase(name: "heNormal dense", initializer: HeNormal(), shape: [400, 100], variance: 1.0 / 400),
        VarianceCase(name: "heUniform conv", initializer: HeUniform(gain: 2.0.squareRoot()), shape: [32, 16, 3, 3],
                     variance: 2.0 / (16 * 9)),
        VarianceCase(name: "normal", initializer: Normal(std: 0.5, mean: 1), shape: [100, 100], variance: 0.25),
        VarianceCase(name: "uniform", initializer: Uniform(range: 0.3), shape: [100, 100], variance: 0.09 / 3),
    ]

    @Test(arguments: cases)
    func varianceFollowsLasagneFans(_ c: VarianceCase) throws {
        var generator = RandomGenerator(seed: 31)
        let w = try c.initializer.sample(shape: c.shape, dtype: .float32, generator: &generator)
        #expect(w.shape == c.shape)
        let (mean, variance) = moments(w.scalars)
        #expect(abs(variance / c.variance - 1) < 0.05)
        #expect(abs(mean - (c.name == "normal" ? 1 : 0)) < 0.1 * c.variance.squareRoot())
    }

    @Test func samplesAreReproducibleFromTheGenerator() throws {
        var a = RandomGenerator(seed: 5)
        var b = RandomGenerator(seed: 5)
        let x = try GlorotUniform().sample(shape: [4, 3], dtype: .float32, generator: &a)
        #expect(x == (try GlorotUniform().sample(shape: [4, 3], dtype: .float32, generator: &b)))
        #expect(x != (try GlorotUniform().sample(shape: [4, 3], dtype: .float32, generator: &a)))
    }

    @Test(arguments: [[20, 50], [50, 20], [8, 2, 3, 3], [30, 30]])
    func orthogonalHasOrthonormalRowsOrColumns(_ shape: [Int]) throws {
        var generator = RandomGenerator(seed: 32)
        let q = try Orthogonal(gain: 2).sample(shape: shape, dtype: .float64, generator: &generator)
        let rows = shape[0], cols = shape.dropFirst().reduce(1, *)
        let m = RefArray(shape: [rows, cols], values: q.scalars)
        let gram = rows <= cols ? m.matmul(m.transposed([1, 0])) : m.transposed([1, 0]).matmul(m)
        let n = min(rows, cols)
        let identity: [Double] = (0..<(n * n)).map { (k: Int) -> Double in k / n == k % n ? 4 : 0 }
        #expect(closeness(gram.values, identity, rtol: 0, atol: 1e-10) <= 1)
    }

    @Test func shapesWithoutFansThrow() {
        var generator = RandomGenerator(seed: 1)
        for initializer in [GlorotUniform(), HeNormal(), Orthogonal()] as [any Initializer] {
            #expect(throws: GraphError.self) { try initializer.sample(shape: [5], dtype: .float32, generator: &generator) }
        }
        #expect(throws: GraphError.self) { try Constant(1).sample(shape: [-1, 2], dtype: .float32, generator: &generator) }
    }

    @Test func nonlinearitiesMatchTheirFormulas() throws {
        let x = vector("x")
        let points: [Double] = [-3, -0.5, 0, 0.7, 2]
        let input = try Tensor(shape: [5], values: points, dtype: .float32)
        let sigmoid = { (v: Double) in 1 / (1 + (-v).exp) }
        let table: [(Nonlinearity, (Double) -> Double)] = [
            (.rectify, { max($0, 0) }), (.leakyRectify(0.1), { $0 > 0 ? $0 : 0.1 * $0 }),
            (.elu, { $0 > 0 ? $0 : $0.exp - 1 }),
            (.selu, { 1.0507009873554805 * ($0 > 0 ? $0 : 1.6732632423543772 * ($0.exp - 1)) }),
            (.swish, { $0 * sigmoid($0) }), (.softsign, { $0 / (1 + abs($0)) }),
            (.softplus, { (1 + $0.exp).log }), (.sigmoid, sigmoid), (.linear, { $0 }),
            (.scaledTanh(scaleIn: 2, scaleOut: 3), { 3 * (1 - 2 / ((4 * $0).exp + 1)) }),
        ]
        for (nonlinearity, reference) in table {
            let y = try function(inputs: [x], outputs: [nonlinearity(x)])(input)[0]
            expectClose(y, RefArray(shape: [5], values: points.map(reference)))
        }
        let m = matrix("m")
        let logits = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, 0, 0] as [Float])
        let softmax = try function(inputs: [m], outputs: [Nonlinearity.softmax(m)])(logits)[0]
        let e: [Double] = [1.0, 2, 3].map { $0.exp }
        let total: Double = e.reduce(0, +)
        let expected: [Double] = e.map { $0 / total } + [Double](repeating: 1.0 / 3, count: 3)
        expectClose(softmax, RefArray(shape: [2, 3], values: expected))
    }
}

extension Double {
    var exp: Double { Foundation.exp(self) }
    var log: Double { Foundation.log(self) }
}
