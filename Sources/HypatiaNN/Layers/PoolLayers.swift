/// 2-D pooling over the last two axes (Lasagne's `Pool2DLayer`): max or average windows.
///
/// The output extent of each pooled axis follows Lasagne's `pool_output_length`: with
/// `ignoreBorder` (required with padding) (input + 2·pad - pool) / stride + 1; without it,
/// partial windows at the bottom/right border count too.
public class Pool2DLayer: Layer {
    /// What each window computes.
    public enum Mode: Hashable, Sendable {
        /// The window's maximum.
        case max
        /// The mean with padded positions counted as zeros (Lasagne's `average_inc_pad`).
        case averageIncludingPadding
        /// The mean over the real positions only (Lasagne's `average_exc_pad`).
        case averageExcludingPadding
    }

    public let name: String?
    public let inputLayers: [any Layer]
    public let outputShape: [Int?]
    public let parameters: [LayerParameter] = []
    /// The window's rows and columns.
    public let poolSize: (Int, Int)
    /// The step between windows in rows and columns (default: the pool size).
    public let stride: (Int, Int)
    /// Zero padding of the rows and the columns on each side.
    public let pad: (Int, Int)
    /// Whether partial windows at the bottom/right border are dropped.
    public let ignoreBorder: Bool
    /// What each window computes.
    public let mode: Mode
    /// Where the layer was created (the line its errors name).
    let location: SourceLocation

    /// Pooling windows of `poolSize` moved by `stride` (default: `poolSize`).
    public init(_ incoming: any Layer, poolSize: (Int, Int), stride: (Int, Int)? = nil, pad: (Int, Int) = (0, 0),
                ignoreBorder: Bool = true, mode: Mode = .max, name: String? = nil,
                file: String = #fileID, line: Int = #line) {
        location = here(file, line)
        self.name = name
        inputLayers = [incoming]
        self.poolSize = poolSize
        self.stride = stride ?? poolSize
        self.pad = pad
        self.ignoreBorder = ignoreBorder
        self.mode = mode
        var shape = incoming.outputShape
        if shape.count >= 2 {
            let rows = shape.count - 2
            shape[rows] = poolOutputLength(shape[rows], poolSize.0, self.stride.0, pad.0, ignoreBorder)
            shape[rows + 1] = poolOutputLength(shape[rows + 1], poolSize.1, self.stride.1, pad.1, ignoreBorder)
        }
        outputShape = shape
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable {
        switch mode {
        case .max:
            return maxPool2d(inputs[0], window: poolSize, stride: stride, padding: pad, ignoreBorder: ignoreBorder,
                             file: location.fileID, line: location.line)
        case .averageIncludingPadding, .averageExcludingPadding:
            return avgPool2d(inputs[0], window: poolSize, stride: stride, padding: pad, ignoreBorder: ignoreBorder,
                             includePadding: mode == .averageIncludingPadding, file: location.fileID, line: location.line)
        }
    }
}

/// Max pooling over the last two axes (Lasagne's `MaxPool2DLayer`).
public final class MaxPool2DLayer: Pool2DLayer {
    /// Max-pooling windows of `poolSize` moved by `stride` (default: `poolSize`).
    public init(_ incoming: any Layer, poolSize: (Int, Int), stride: (Int, Int)? = nil, pad: (Int, Int) = (0, 0),
                ignoreBorder: Bool = true, name: String? = nil, file: String = #fileID, line: Int = #line) {
        super.init(incoming, poolSize: poolSize, stride: stride, pad: pad, ignoreBorder: ignoreBorder, mode: .max,
                   name: name, file: file, line: line)
    }
}

/// Lasagne's `pool_output_length` (nil if the input extent is unknown).
func poolOutputLength(_ input: Int?, _ pool: Int, _ stride: Int, _ pad: Int, _ ignoreBorder: Bool) -> Int? {
    guard let input, stride > 0 else { return nil }
    if ignoreBorder {
        let span = input + 2 * pad - pool + 1
        return span <= 0 ? 0 : (span + stride - 1) / stride
    }
    if stride >= pool { return (input + stride - 1) / stride }
    return Swift.max(0, (input - pool + stride - 1) / stride) + 1
}

/// Pools each feature map to one value (Lasagne's `GlobalPoolLayer`): the mean (default) or
/// maximum over every axis after the first two, giving `[batch, channels]`.
public final class GlobalPoolLayer: Layer {
    /// What is taken over each feature map.
    public enum Mode: Hashable, Sendable {
        case mean
        case max
    }

    public let name: String?
    public let inputLayers: [any Layer]
    public let outputShape: [Int?]
    public let parameters: [LayerParameter] = []
    /// What each window computes.
    public let mode: Mode
    /// Where the layer was created (the line its errors name).
    let location: SourceLocation

    /// Global pooling of `incoming` (rank ≥ 2).
    public init(_ incoming: any Layer, mode: Mode = .mean, name: String? = nil,
                file: String = #fileID, line: Int = #line) {
        location = here(file, line)
        self.name = name
        inputLayers = [incoming]
        outputShape = Array(incoming.outputShape.prefix(2))
        self.mode = mode
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable {
        let x = inputs[0]
        let axes = Array(2..<Swift.max(x.rank, 2))
        switch mode {
        case .mean: return x.mean(axes: axes, file: location.fileID, line: location.line)
        case .max: return x.max(axes: axes, file: location.fileID, line: location.line)
        }
    }
}
