import Foundation
import Hypatia
import Testing

/// Sample moments of `RandomStreams` draws (1e5 each) against the distributions' moments.
struct RandomStreamsMomentTests {
    /// A distribution to draw, its mean and variance, and the support check of each value.
    struct Case: Sendable, CustomStringConvertible {
        let description: String
        let dtype: DType
        let mean: Double, variance: Double
        let make: @Sendable (RandomStreams, [Int], DType) -> Variable
        let valid: @Sendable (Double) -> Bool
    }

    static let count = 100_000
    static let cases: [Case] = [
        Case(description: "uniform[-1,3) f32", dtype: .float32, mean: 1, variance: 16.0 / 12,
             make: { $0.uniform(shape: $1, low: -1, high: 3, dtype: $2) }, valid: { $0 >= -1 && $0 <= 3 }),
        Case(description: "uniform[0,1) f64", dtype: .float64, mean: 0.5, variance: 1.0 / 12,
             make: { $0.uniform(shape: $1, dtype: $2) }, valid: { $0 >= 0 && $0 < 1 }),
        Case(description: "normal(2, 0.5) f32", dtype: .float32, mean: 2, variance: 0.25,
             make: { $0.normal(shape: $1, mean: 2, std: 0.5, dtype: $2) }, valid: { $0.isFinite }),
        Case(description: "normal(0, 1) f64", dtype: .float64, mean: 0, variance: 1,
             make: { $0.normal(shape: $1, dtype: $2) }, valid: { $0.isFinite }),
        Case(description: "binomial(1, 0.3) i64", dtype: .int64, mean: 0.3, variance: 0.21,
             make: { $0.binomial(shape: $1, p: 0.3, dtype: $2) }, valid: { $0 == 0 || $0 == 1 }),
        Case(description: "binomial(1, 0.8) f32", dtype: .float32, mean: 0.8, variance: 0.16,
             make: { $0.binomial(shape: $1, p: 0.8, dtype: $2) }, valid: { $0 == 0 || $0 == 1 }),
        Case(description: "binomial(5, 0.7) i32", dtype: .int32, mean: 3.5, variance: 1.05,
             make: { $0.binomial(shape: $1, n: 5, p: 0.7, dtype: $2) },
             valid: { (0...5).contains($0) && $0.rounded() == $0 }),
        Case(description: "binomial(5, 0.2) f64", dtype: .float64, mean: 1, variance: 0.8,
             make: { $0.binomial(shape: $1, n: 5, p: 0.2, dtype: $2) },
             valid: { (0...5).contains($0) && $0.rounded() == $0 }),
    ]

    /// Mean within 5 standard errors; variance within 5 % (its standard error is below 1 %).
    @Test(arguments: cases)
    func moments(_ c: Case) throws {
        let rng = RandomStreams(seed: 2024)
        let r = c.make(rng, [Self.count / 100, 100], c.dtype)
        let f = try function(inputs: [], outputs: [r], mode: .interpret)
        let t = try f()[0]
        #expect(t.dtype == c.dtype && t.shape == [Self.count / 100, 100])
        let xs = t.scalars
        #expect(xs.allSatisfy(c.valid))
        let n = Double(xs.count)
        let mean = xs.reduce(0, +) / n
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        #expect(abs(mean - c.mean) < 5 * (c.variance / n).squareRoot(), "mean \(mean)")
        #expect(abs(variance - c.variance) < 0.05 * c.variance, "variance \(variance)")
    }

    /// Neighbouring elements, consecutive calls and two variables of one stream are uncorrelated.
    @Test func drawsAreUncorrelated() throws {
        let rng = RandomStreams(seed: 5)
        let a = rng.normal(shape: [Self.count], dtype: .float64)
        let b = rng.normal(shape: [Self.count], dtype: .float64)
        let f = try function(inputs: [], outputs: [a, b], mode: .interpret)
        let first = try f(), second = try f()
        let x = first[0].scalars
        let bound = 5 / Double(Self.count).squareRoot()
        #expect(abs(correlation(Array(x.dropLast()), Array(x.dropFirst()))) < bound)
        #expect(abs(correlation(x, first[1].scalars)) < bound)
        #expect(abs(correlation(x, second[0].scalars)) < bound)
    }

    private func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (u, v) in zip(x, y) {
            sxy += (u - mx) * (v - my)
            sxx += (u - mx) * (u - mx)
            syy += (v - my) * (v - my)
        }
        return sxy / (sxx * syy).squareRoot()
    }
}
