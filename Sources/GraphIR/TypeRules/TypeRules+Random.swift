import TensorRuntime

extension TypeRule {
    /// `.random`: counter (int64 scalar) and one int scalar extent per axis → dtype[shape];
    /// checks the distribution's parameters and that uniform/normal results are float.
    func random(_ a: RandomAttributes) throws(GraphError) -> TensorType {
        try arity(a.shape.count + 1)
        try checkExtents(a.shape)
        guard inputs[0] == .scalar(.int64) else {
            throw error(.dtype, "the counter must be an int64 scalar, got \(inputs[0])")
        }
        if let bad = inputs.dropFirst().first(where: { $0.rank != 0 || !$0.dtype.isInteger }) {
            throw error(.dtype, "extents must be integer scalars, got \(bad)")
        }
        try checkParameters(a.distribution, a.dtype)
        return TensorType(a.dtype, a.shape)
    }

    private func checkParameters(_ d: RandomDistribution, _ dtype: DType) throws(GraphError) {
        switch d {
        case .uniform(let low, let high):
            guard low.isFinite, high.isFinite, low <= high else {
                throw error(.argument, "uniform needs finite low ≤ high, got low \(low), high \(high)")
            }
        case .normal(let mean, let std):
            guard mean.isFinite, std.isFinite, std >= 0 else {
                throw error(.argument, "normal needs a finite mean and std ≥ 0, got mean \(mean), std \(std)")
            }
        case .binomial(let n, let p):
            guard (0...RandomDistribution.maxBinomialTrials).contains(n) else {
                throw error(.argument, "binomial needs 0 ≤ n ≤ \(RandomDistribution.maxBinomialTrials), got \(n)")
            }
            guard p >= 0, p <= 1 else { throw error(.argument, "binomial needs 0 ≤ p ≤ 1, got \(p)") }
            guard dtype != .bool || n <= 1 else { throw error(.dtype, "binomial with n = \(n) cannot be bool") }
            return
        }
        guard dtype.isFloatingPoint else { throw error(.dtype, "uniform and normal draws need a float dtype, got \(dtype)") }
    }
}
