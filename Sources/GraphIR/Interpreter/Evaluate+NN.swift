import Foundation
import TensorRuntime

/// Softmax (or log-softmax) along `axis`, max-shifted and computed in Double:
/// `e^(x-m) / Σ e^(x-m)` and `x - m - log Σ e^(x-m)` with m the (NaN-propagating) maximum.
func evaluateSoftmax(_ x: Tensor, axis: Int, log: Bool, dtype: DType) -> Tensor {
    let n = x.shape[axis]
    let outer = x.shape[..<axis].reduce(1, *), inner = x.shape[(axis + 1)...].reduce(1, *)
    var values = x.doubleLane()
    var shifted = [Double](repeating: 0, count: n)
    for o in 0..<outer {
        for i in 0..<inner where n > 0 {
            let base = o * n * inner + i
            var m = -Double.infinity
            for k in 0..<n { m = ScalarMath.maximum(m, values[base + k * inner]) }
            var total = 0.0
            for k in 0..<n {
                shifted[k] = values[base + k * inner] - m
                total += Foundation.exp(shifted[k])
            }
            let logTotal = Foundation.log(total)
            for k in 0..<n {
                values[base + k * inner] = log ? shifted[k] - logTotal : Foundation.exp(shifted[k]) / total
            }
        }
    }
    return Tensor(doubleLane: values, shape: x.shape, dtype: dtype)
}
