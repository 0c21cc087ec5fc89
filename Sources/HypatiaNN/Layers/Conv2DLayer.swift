/// How `Conv2DLayer` pads its input (Lasagne's `pad`).
public enum ConvPadding: Hashable, Sendable {
    /// No padding: output = (input - filter) / stride + 1.
    case valid
    /// filter - 1 zeros on each side: every position where filter and input overlap.
    case full
    /// filter / 2 zeros on each side: the input's size for odd filters and stride 1.
    case same
    /// Explicit zeros on each side of the rows and of the columns.
    case explicit(Int, Int)

    /// The padding of (rows, columns) for a filter.
    func amounts(_ filter: (Int, Int)) -> (Int, Int) {
        switch self {
        case .valid: return (0, 0)
        case .full: return (filter.0 - 1, filter.1 - 1)
        case .same: return (filter.0 / 2, filter.1 / 2)
        case .explicit(let rows, let columns): return (rows, columns)
        }
    }

    var borderMode: BorderMode {
        switch self {
        case .valid: return .valid
        case .full: return .full
        case .same: return .half
        case .explicit(let rows, let columns): return .padding(rows, columns)
        }
    }
}

/// A 2-D convolution layer (Lasagne's `Conv2DLayer`): `nonlinearity(conv2d(x, W) + b)` for
/// inputs `[batch, channels, rows, columns]`.
///
/// `W` has shape `[filters, channels, filterRows, filterColumns]` and `b` shape `[filters]`
/// (one bias per filter, Lasagne's `untie_biases=False`), or `[filters, outputRows,
/// outputColumns]` with `untieBiases` (one per output position; the input's rows and columns
/// must then be known). Filters are flipped (a true convolution) unless `flipFilters` is
/// false (cross-correlation).
public final class Conv2DLayer: Layer {
    public let name: String?
    public let inputLayers: [any Layer]
    public let outputShape: [Int?]
    /// This layer's own parameters (see `Layer.parameters`).
    public private(set) var parameters: [LayerParameter] = []
    /// The filters `[filters, channels, rows, columns]`; for an invalid configuration, a
    /// variable carrying the layer's error.
    public var W: Variable { weights ?? missingParameter(error) }
    private var weights: Variable?
    /// The biases `[filters]` (nil without biases or for an invalid configuration).
    public private(set) var b: Variable?
    /// The number of filters (output channels).
    public let filters: Int
    /// The filter's rows and columns.
    public let filterSize: (Int, Int)
    /// The step between windows in rows and columns.
    public let stride: (Int, Int)
    /// How the input is padded.
    public let pad: ConvPadding
    /// Whether filters are flipped (true convolution) rather than cross-correlated.
    public let flipFilters: Bool
    /// Whether each output position has its own bias.
    public let untieBiases: Bool
    /// The activation applied to the output.
    public let nonlinearity: Nonlinearity
    /// Why the layer cannot compute, if its configuration is invalid.
    public private(set) var error: GraphError?
    /// Where the layer was created (the line its errors name).
    let location: SourceLocation

    /// A convolution with `filters` filters of `filterSize` over a rank-4 `incoming` whose
    /// channel extent is known. `b: nil` leaves out the biases.
    public init(_ incoming: any Layer, filters: Int, filterSize: (Int, Int), stride: (Int, Int) = (1, 1),
                pad: ConvPadding = .valid, W: ParameterSpec = .glorotUniform, b: ParameterSpec? = .constant(0),
                nonlinearity: Nonlinearity = .rectify, flipFilters: Bool = true, untieBiases: Bool = false,
                name: String? = nil,
                file: String = #fileID, line: Int = #line) {
        let loc = here(file, line)
        location = loc
        let shape = incoming.outputShape
        self.name = name
        inputLayers = [incoming]
        self.filters = filters
        self.filterSize = filterSize
        self.stride = stride
        self.pad = pad
        self.flipFilters = flipFilters
        self.untieBiases = untieBiases
        self.nonlinearity = nonlinearity
        let padding = pad.amounts(filterSize)
        outputShape = shape.count == 4
            ? [shape[0], filters,
               convOutputLength(shape[2], filterSize.0, stride.0, padding.0),
               convOutputLength(shape[3], filterSize.1, stride.1, padding.1)]
            : [nil, filters, nil, nil]
        do throws(GraphError) {
            try makeParameters(shape, W: W, b: b, at: loc)
        } catch {
            self.error = error.located(at: loc)
        }
    }

    /// Validates the configuration and creates W and b.
    private func makeParameters(_ shape: [Int?], W: ParameterSpec, b: ParameterSpec?,
                                at loc: SourceLocation) throws(GraphError) {
        guard filters > 0, filterSize.0 > 0, filterSize.1 > 0, stride.0 > 0, stride.1 > 0 else {
            throw GraphError(.argument, op: "Conv2DLayer", "filters \(filters), filterSize \(filterSize) and stride "
                             + "\(stride) must be positive")
        }
        guard shape.count == 4, let channels = shape[1] else {
            throw GraphError(.shape, op: "Conv2DLayer", "needs an input [batch, channels, rows, columns] with known "
                             + "channels, got shape \(shape)")
        }
        let weights = try W.make(shape: [filters, channels, filterSize.0, filterSize.1],
                                 name: parameterName(name, "W"), layer: "Conv2DLayer", at: loc)
        self.weights = weights
        parameters.append(LayerParameter(weights, tags: [.trainable, .regularizable]))
        if let b {
            let biases = try b.make(shape: try biasShape(), name: parameterName(name, "b"), layer: "Conv2DLayer",
                                    at: loc)
            self.b = biases
            parameters.append(LayerParameter(biases, tags: [.trainable]))
        }
    }

    /// `[filters]`, or `[filters, outputRows, outputColumns]` for untied biases.
    private func biasShape() throws(GraphError) -> [Int] {
        guard untieBiases else { return [filters] }
        guard let rows = outputShape[2], let columns = outputShape[3] else {
            throw GraphError(.shape, op: "Conv2DLayer", "untied biases need known output rows and columns, "
                             + "got output shape \(outputShape)")
        }
        return [filters, rows, columns]
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable {
        guard let W = weights, error == nil else { return failedOutput(error!, like: inputs) }
        let conved = conv2d(inputs[0], W, borderMode: pad.borderMode, stride: stride, filterFlip: flipFilters,
                            file: location.fileID, line: location.line)
        guard let b else { return nonlinearity(conved) }
        return nonlinearity(conved + (untieBiases ? b.dimshuffle("x", 0, 1, 2) : b.dimshuffle("x", 0, "x", "x")))
    }
}

/// Lasagne's `conv_output_length`: (input + 2·pad - filter) / stride + 1, nil if unknown.
func convOutputLength(_ input: Int?, _ filter: Int, _ stride: Int, _ pad: Int) -> Int? {
    guard let input, stride > 0 else { return nil }
    let span = input + 2 * pad - filter + 1
    return span <= 0 ? 0 : (span + stride - 1) / stride
}
