import Foundation

extension RandomSample {
    /// The cumulative probabilities inverse-CDF sampling compares against: for p ≤ 1/2,
    /// `inverseBinomial(n, p, u)` equals the number of thresholds `t` with `u >= t`.
    ///
    /// Threshold k is the CDF value at k computed with exactly `inverseBinomial`'s double
    /// arithmetic (so a kernel comparing against these constants draws the same bits). The CDF
    /// is non-decreasing (each step adds a non-negative pmf), so counting the thresholds below
    /// `u` finds the first k with `u < cdf(k)`. Empty when p = 0 or n = 0 (the draw is 0).
    package static func binomialThresholds(_ n: Int, _ p: Double) -> [Double] {
        if p == 0 || n == 0 { return [] }
        let q = 1 - p, ratio = p / q
        var pmf = pow(q, Double(n)), cdf = pmf
        var thresholds = [cdf]
        for k in 0..<(n - 1) {
            pmf *= Double(n - k) / Double(k + 1) * ratio
            cdf += pmf
            thresholds.append(cdf)
        }
        return thresholds
    }
}
