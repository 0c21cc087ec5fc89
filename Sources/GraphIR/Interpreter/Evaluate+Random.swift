import Foundation
import TensorRuntime

/// Draws `a.distribution` for the call with `counter`, shaped by the run-time `extents`.
///
/// Element i uses its own Philox4x32-10 block (key `a.seed`, counter `(i, a.stream, c.low,
/// c.high)`), so every value depends only on (seed, stream, counter, i).
func evaluateRandom(_ node: Node, _ a: RandomAttributes, _ counter: Tensor,
                    _ extents: [Tensor]) throws(GraphError) -> Tensor {
    var shape: [Int] = []
    for (axis, e) in extents.enumerated() {
        let extent = e.int64(at: 0)
        guard extent >= 0, extent < 1 << 40 else {
            throw node.evaluationError(.runtime, "random extent \(extent) of axis \(axis) is not a valid size")
        }
        if let fixed = a.shape[axis].constantValue, fixed != Int(extent) {
            throw node.evaluationError(.shape, "axis \(axis) has extent \(extent) at run time, declared \(fixed)")
        }
        shape.append(Int(extent))
    }
    let count = shape.reduce(1, *)
    guard count <= 1 << 32 else {
        throw node.evaluationError(.runtime, "\(count) random draws exceed the 2^32 elements of one call")
    }
    let c = UInt64(bitPattern: counter.int64(at: 0))
    let key = (UInt32(truncatingIfNeeded: a.seed), UInt32(truncatingIfNeeded: a.seed >> 32))
    var values = [Double](repeating: 0, count: count)
    for i in 0..<count {
        let block = RandomGenerator.philox(
            counter: (UInt32(truncatingIfNeeded: i), a.stream, UInt32(truncatingIfNeeded: c), UInt32(truncatingIfNeeded: c >> 32)),
            key: key)
        values[i] = RandomSample.draw(a.distribution, block)
    }
    return try! Tensor(shape: shape, values: values, dtype: a.dtype)   // count matches shape
}

/// One draw of a distribution from one Philox block (four 32-bit words).
package enum RandomSample {
    /// The draw for `block`: uniform and binomial read words 0–1, normal all four.
    package static func draw(_ d: RandomDistribution, _ block: (UInt32, UInt32, UInt32, UInt32)) -> Double {
        let u = unit(block.0, block.1)
        switch d {
        case .uniform(let low, let high):
            return low + (high - low) * u
        case .normal(let mean, let std):
            let radius = (-2 * log(1 - u)).squareRoot()   // 1 - u in (0, 1]: finite
            return mean + std * radius * cos(2 * Double.pi * unit(block.2, block.3))
        case .binomial(let n, let p):
            return p > 0.5 ? Double(n - inverseBinomial(n, 1 - p, u)) : Double(inverseBinomial(n, p, u))
        }
    }

    /// A Double in [0, 1) from the top 53 of 64 bits.
    static func unit(_ high: UInt32, _ low: UInt32) -> Double {
        Double((UInt64(high) << 32 | UInt64(low)) >> 11) * 0x1p-53
    }

    /// The smallest k with P(X ≤ k) > u for X ~ Binomial(n, p), p ≤ 1/2 (so (1-p)^n ≥ 2^-1000
    /// does not underflow for n ≤ 1000).
    static func inverseBinomial(_ n: Int, _ p: Double, _ u: Double) -> Int {
        if p == 0 || n == 0 { return 0 }
        let q = 1 - p, ratio = p / q
        var pmf = pow(q, Double(n)), cdf = pmf, k = 0
        while u >= cdf && k < n {
            pmf *= Double(n - k) / Double(k + 1) * ratio
            k += 1
            cdf += pmf
        }
        return k
    }
}
