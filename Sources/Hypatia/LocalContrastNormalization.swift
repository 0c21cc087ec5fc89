import Foundation
import GraphIR
import TensorRuntime

// MARK: - Local contrast normalization (a composite of conv2d, reductions and elementwise ops)

/// Local contrast normalization of NCHW images (Jarrett et al. 2009, "What is the best
/// multi-stage architecture for object recognition?"; the normalization of pylearn2's `lecun_lcn`).
///
/// With `w` the `kernelSize`×`kernelSize` Gaussian window of standard deviation `sigma`
/// (centered, normalized to sum 1) and `C` channels, per image:
///
/// - subtractive: `v[c,i,j] = x[c,i,j] - Σ_{c',p,q} w[p,q] / C · x[c', i+p, j+q]`
/// - local deviation: `σ[i,j] = sqrt(Σ_{c',p,q} w[p,q] / C · v[c', i+p, j+q]²)`
/// - divisive: `y[c,i,j] = v[c,i,j] / max(mean_{i,j}(σ), σ[i,j], threshold)`
///
/// (p, q range over the window, centered on (i, j); positions outside the image count as
/// zeros.) Both sums are a channel mean followed by `conv2d(_, w, borderMode: .half)`, so the
/// output has the input's shape. Unlike pylearn2, which takes the deviation of the raw `x²`,
/// this follows the paper and uses the centered `v²`. `kernelSize` must be odd and positive
/// and `sigma` positive; otherwise the result records a `GraphError(.argument)`.
public func localContrastNormalization(_ x: Variable, kernelSize: Int = 9, sigma: Double = 2.0,
                                       threshold: Double = 1e-4,
                                       file: String = #fileID, line: Int = #line) -> Variable {
    let loc = here(file, line)
    guard kernelSize > 0, kernelSize % 2 == 1, sigma > 0 else {
        let error = GraphError(.argument, op: "localContrastNormalization",
                               "kernelSize must be odd and positive and sigma positive, "
                               + "got kernelSize \(kernelSize), sigma \(sigma)", at: loc)
        return Variable(Node.failed(error, type: x.type, inputs: [x.node], at: loc))
    }
    let dtype: DType = x.dtype.isFloatingPoint ? x.dtype : .floatX
    let window = constant(gaussianWindow(size: kernelSize, sigma: sigma, dtype: dtype), file: file, line: line)
    /// The window-weighted mean over channels and neighborhood, shape (N, 1, H, W).
    func localMean(_ t: Variable) -> Variable {
        conv2d(t.mean(axis: 1, keepDims: true, file: file, line: line), window, borderMode: .half,
               file: file, line: line)
    }
    let centered = x - localMean(x)
    let deviation = sqrt(localMean(centered * centered), file: file, line: line)
    let meanDeviation = deviation.mean(axes: [2, 3], keepDims: true, file: file, line: line)
    let divisor = maximum(maximum(meanDeviation, deviation, file: file, line: line), threshold, file: file, line: line)
    return centered / divisor
}

/// The normalized Gaussian window, shape (1, 1, size, size):
/// `w[p,q] ∝ exp(-((p - size/2)² + (q - size/2)²) / (2 sigma²))`, summing to 1.
func gaussianWindow(size: Int, sigma: Double, dtype: DType) -> Tensor {
    let mid = Double(size / 2)
    var values: [Double] = []
    for p in 0..<size {
        for q in 0..<size {
            let (dp, dq) = (Double(p) - mid, Double(q) - mid)
            values.append(Foundation.exp(-(dp * dp + dq * dq) / (2 * sigma * sigma)))
        }
    }
    let total = values.reduce(0, +)
    var window = Tensor(zeros: [1, 1, size, size], dtype: dtype)
    for (i, value) in values.enumerated() { window.setDouble(value / total, at: i) }
    return window
}
