import TensorRuntime

/// The distribution an `Op.random` node draws from; parameters are constants of the op.
package enum RandomDistribution: Hashable, Sendable {
    /// Uniform on `[low, high)` (float results).
    case uniform(low: Double, high: Double)
    /// Normal with mean and standard deviation (float results; Box–Muller).
    case normal(mean: Double, std: Double)
    /// Number of successes in `n` trials of probability `p` (any numeric result dtype).
    case binomial(n: Int, p: Double)

    /// The largest `n` a binomial draw accepts (inverse-CDF sampling stays in range).
    package static let maxBinomialTrials = 1000
}

/// Attributes of `Op.random`: what to draw, the result's dtype and shape, and the Philox key.
///
/// Element `i` of the call with counter `c` is computed from the Philox4x32-10 block with key
/// `seed` and counter `(i, stream, c.low, c.high)`, so values depend only on (seed, stream,
/// call count, element index): never on threads or evaluation order.
package struct RandomAttributes: Hashable, Sendable {
    package var distribution: RandomDistribution
    package var dtype: DType
    /// The result's dims; the node's extent inputs give their run-time values.
    package var shape: [Dim]
    package var seed: UInt64
    /// Distinguishes the random nodes of one seed (one per call site of a `RandomStreams`).
    package var stream: UInt32

    package init(_ distribution: RandomDistribution, dtype: DType, shape: [Dim], seed: UInt64, stream: UInt32) {
        self.distribution = distribution
        self.dtype = dtype
        self.shape = shape
        self.seed = seed
        self.stream = stream
    }

    /// The `{...}` attribute strings of the printer, given a way to print dims.
    package func attributeList(dims: ([Dim]) -> String) -> [String] {
        let params: [String]
        switch distribution {
        case .uniform(let low, let high): params = ["uniform", "low=\(low)", "high=\(high)"]
        case .normal(let mean, let std): params = ["normal", "mean=\(mean)", "std=\(std)"]
        case .binomial(let n, let p): params = ["binomial", "n=\(n)", "p=\(p)"]
        }
        return ["dist=\(params[0])"] + params.dropFirst() + ["shape=[\(dims(shape))]", "seed=\(seed)", "stream=\(stream)"]
    }
}
