import GraphIR
import TensorRuntime

// MARK: - Batch normalization (a composite of reductions and elementwise ops)

/// Batch normalization with the batch's own statistics (Theano's `batch_normalization_train`).
///
/// `mean` and the biased `variance` are taken over `axes` (keeping them as size-1 axes), and
/// the result is `(x - mean) · gamma / sqrt(variance + epsilon) + beta`, with numpy
/// broadcasting: `gamma` and `beta` have the statistics' shape (reduced axes of size 1) or any
/// shape that broadcasts to it, e.g. `[C]` for a `[N, C]` input normalized over axis 0.
/// The gradient is autodiff through this composite (the statistics depend on `x`).
public func batchNormalization(_ x: Variable, gamma: Variable, beta: Variable, axes: [Int], epsilon: Double = 1e-4,
                               file: String = #fileID, line: Int = #line) -> Variable {
    let mean = x.mean(axes: axes, keepDims: true, file: file, line: line)
    let variance = x.variance(axes: axes, keepDims: true, file: file, line: line)
    return normalized(x, mean: mean, variance: variance, gamma: gamma, beta: beta, epsilon: epsilon)
}

/// `(x - mean) · gamma / sqrt(variance + epsilon) + beta` (Theano's `batch_normalization`).
private func normalized(_ x: Variable, mean: Variable, variance: Variable, gamma: Variable, beta: Variable,
                        epsilon: Double) -> Variable {
    let invStd = 1.0 / sqrt(variance + epsilon, file: variance.node.location.fileID,
                            line: variance.node.location.line)
    return (x - mean) * (gamma * invStd) + beta
}

/// Running averages of batch statistics for batch normalization (Lasagne's `BatchNormLayer`
/// state): `training` normalizes with the batch's statistics and returns the updates that move
/// the running averages; `inference` normalizes with the running averages.
///
/// The running mean starts at 0 and the running variance at 1. Each training step updates
/// `running = (1 - momentum) · running + momentum · batchStatistic`, where the statistic for
/// the variance is the **unbiased** batch variance (`n / (n - 1)` times the biased one, `n` the
/// number of values averaged per feature), as in Theano's `batch_normalization_train` and
/// Lasagne; the normalization itself uses the biased variance. A batch with `n = 1` gives an
/// infinite or NaN running variance (as in Theano).
public struct BatchNormState: Sendable {
    /// The running mean: the input's shape with the normalized axes of size 1.
    public let runningMean: SharedVariable
    /// The running (unbiased) variance, shaped like `runningMean`.
    public let runningVariance: SharedVariable
    /// The normalized axes (non-negative, ascending).
    public let axes: [Int]
    /// Added to the variance before the square root.
    public let epsilon: Double

    /// State for inputs of shape `shape` normalized over `axes` (negative axes count from the
    /// end). Extents of the normalized axes are ignored (nil for a batch size known only at run
    /// time); every other extent must be given. Throws `GraphError(.argument)` for an axis out
    /// of range or listed twice, a missing feature extent, or a non-floating dtype.
    public init(shape: [Int?], axes: [Int], dtype: DType = .float32, epsilon: Double = 1e-4, name: String = "bn",
                file: String = #fileID, line: Int = #line) throws {
        let loc = here(file, line)
        let normalizedAxes = try Self.validate(axes: axes, rank: shape.count, at: loc)
        guard dtype.isFloatingPoint else {
            throw GraphError(.argument, op: "BatchNormState", "running statistics need a floating dtype, got \(dtype)",
                             at: loc)
        }
        var statShape: [Int] = []
        for (axis, extent) in shape.enumerated() {
            if normalizedAxes.contains(axis) { statShape.append(1); continue }
            guard let extent, extent > 0 else {
                throw GraphError(.argument, op: "BatchNormState",
                                 "axis \(axis) is not normalized, so its extent must be a positive number; "
                                 + "got \(extent.map(String.init) ?? "nil") in shape \(shape)", at: loc)
            }
            statShape.append(extent)
        }
        runningMean = shared(Tensor(zeros: statShape, dtype: dtype), name: "\(name).runningMean",
                             file: file, line: line)
        runningVariance = shared(Tensor(ones: statShape, dtype: dtype), name: "\(name).runningVariance",
                                 file: file, line: line)
        self.axes = normalizedAxes
        self.epsilon = epsilon
    }

    /// The axes made non-negative and sorted; throws for one out of range or repeated.
    private static func validate(axes: [Int], rank: Int, at loc: SourceLocation) throws -> [Int] {
        var result: [Int] = []
        for axis in axes {
            let a = axis < 0 ? axis + rank : axis
            guard a >= 0, a < rank, !result.contains(a) else {
                throw GraphError(.argument, op: "BatchNormState",
                                 "axes \(axes) are invalid for rank \(rank): axis \(axis) is out of range or repeated",
                                 at: loc)
            }
            result.append(a)
        }
        return result.sorted()
    }

    /// Normalization with the batch's statistics, and the updates of the running averages to
    /// pass to `function(updates:)` (the running values are read before the call's updates).
    public func training(_ x: Variable, gamma: Variable, beta: Variable, momentum: Double = 0.1,
                         file: String = #fileID,
                         line: Int = #line) -> (output: Variable, updates: [(SharedVariable, Variable)]) {
        let mean = x.mean(axes: axes, keepDims: true, file: file, line: line)
        let variance = x.variance(axes: axes, keepDims: true, file: file, line: line)
        let unbiased = x.variance(axes: axes, keepDims: true, ddof: 1, file: file, line: line)
        let output = normalized(x, mean: mean, variance: variance, gamma: gamma, beta: beta, epsilon: epsilon)
        let newMean = (1 - momentum) * runningMean + momentum * mean
        let newVariance = (1 - momentum) * runningVariance + momentum * unbiased
        return (output, [(runningMean, newMean), (runningVariance, newVariance)])
    }

    /// Normalization with the running averages (a deterministic function of `x`).
    public func inference(_ x: Variable, gamma: Variable, beta: Variable) -> Variable {
        normalized(x, mean: runningMean, variance: runningVariance, gamma: gamma, beta: beta, epsilon: epsilon)
    }
}
