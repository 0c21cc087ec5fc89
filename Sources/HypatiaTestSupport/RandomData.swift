import TensorRuntime

/// Deterministic random test data.
public enum RandomData {
    /// A float64 array of `shape` uniform in `range`, the same for the same seed.
    public static func uniform(_ shape: [Int], in range: ClosedRange<Double>, seed: UInt64) -> RefArray {
        var generator = RandomGenerator(seed: seed)
        let t = Tensor(randomUniform: shape, in: range, dtype: .float64, generator: &generator)
        return RefArray(t)
    }

    /// Integers in `range` (as Doubles), for labels and indices.
    public static func integers(_ shape: [Int], in range: ClosedRange<Int>, seed: UInt64) -> RefArray {
        let u = uniform(shape, in: Double(range.lowerBound)...Double(range.upperBound) + 0.999, seed: seed)
        return u.map { $0.rounded(.down) }
    }
}
