/// Applies a nonlinearity to its input (Lasagne's `NonlinearityLayer`).
public final class NonlinearityLayer: Layer {
    public let name: String?
    public let inputLayers: [any Layer]
    public let outputShape: [Int?]
    public let parameters: [LayerParameter] = []
    /// The activation applied to the output.
    public let nonlinearity: Nonlinearity

    /// `nonlinearity` applied to `incoming`'s output.
    public init(_ incoming: any Layer, nonlinearity: Nonlinearity = .rectify, name: String? = nil) {
        self.name = name
        inputLayers = [incoming]
        outputShape = incoming.outputShape
        self.nonlinearity = nonlinearity
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable { nonlinearity(inputs[0]) }
}

/// Any function of the input without parameters (Lasagne's `ExpressionLayer`).
public final class ExpressionLayer: Layer {
    public let name: String?
    public let inputLayers: [any Layer]
    public let outputShape: [Int?]
    public let parameters: [LayerParameter] = []
    /// The function applied to the input.
    public let function: (Variable) -> Variable

    /// `function` applied to `incoming`'s output; `outputShape` nil means the input's shape.
    public init(_ incoming: any Layer, outputShape: [Int?]? = nil, name: String? = nil,
                _ function: @escaping (Variable) -> Variable) {
        self.name = name
        inputLayers = [incoming]
        self.outputShape = outputShape ?? incoming.outputShape
        self.function = function
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable { function(inputs[0]) }
}

/// A rectifier with a learned slope for negative inputs (Lasagne's `ParametricRectifierLayer`,
/// He et al. 2015): `max(x, 0) + alpha · min(x, 0)`, one `alpha` per channel (axis 1) by default.
public final class PReLULayer: Layer {
    public let name: String?
    public let inputLayers: [any Layer]
    public let outputShape: [Int?]
    /// This layer's own parameters (see `Layer.parameters`).
    public private(set) var parameters: [LayerParameter] = []
    /// The axes sharing one slope (default: all but axis 1).
    public let sharedAxes: [Int]
    /// The slopes (shape: the input's extents on the other axes), trainable, not regularizable.
    public private(set) var alpha: Variable?
    /// Why the layer cannot compute, if its configuration is invalid.
    public private(set) var error: GraphError?

    /// A parametric rectifier on `incoming`, slopes starting at `alpha` (default 0.25).
    public init(_ incoming: any Layer, alpha: ParameterSpec = .constant(0.25), sharedAxes: [Int]? = nil,
                name: String? = nil, file: String = #fileID, line: Int = #line) {
        let loc = here(file, line)
        let shape = incoming.outputShape
        self.name = name
        inputLayers = [incoming]
        outputShape = shape
        self.sharedAxes = sharedAxes ?? [0] + Array(2..<Swift.max(shape.count, 2))
        var alphaShape: [Int] = []
        for (axis, extent) in shape.enumerated() where !self.sharedAxes.contains(axis) {
            guard let extent else {
                error = GraphError(.shape, op: "PReLULayer", "axis \(axis) has its own slopes, so its extent must be "
                                   + "known; got shape \(shape)", at: loc)
                return
            }
            alphaShape.append(extent)
        }
        do throws(GraphError) {
            let slopes = try alpha.make(shape: alphaShape, name: parameterName(name, "alpha"), layer: "PReLULayer",
                                        at: loc)
            self.alpha = slopes
            parameters = [LayerParameter(slopes, tags: [.trainable])]
        } catch {
            self.error = error.located(at: loc)
        }
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable {
        guard let alpha, error == nil else { return failedOutput(error!, like: inputs) }
        let x = inputs[0]
        return relu(x) + expand(alpha, rank: x.rank, newAxes: sharedAxes) * minimum(x, 0)
    }
}

/// A lookup table (Lasagne's `EmbeddingLayer`): integer inputs index the rows of
/// `W` `[inputSize, outputSize]`, so the output shape is the input's plus `[outputSize]`.
public final class EmbeddingLayer: Layer {
    public let name: String?
    public let inputLayers: [any Layer]
    public let outputShape: [Int?]
    /// This layer's own parameters (see `Layer.parameters`).
    public private(set) var parameters: [LayerParameter] = []
    /// The table `[inputSize, outputSize]`; for an invalid configuration, a variable carrying
    /// the layer's error.
    public var W: Variable { table ?? missingParameter(error) }
    private var table: Variable?
    /// Why the layer cannot compute, if its configuration is invalid.
    public private(set) var error: GraphError?
    /// Where the layer was created (the line its errors name).
    let location: SourceLocation

    /// An embedding of integer indices below `inputSize` into vectors of `outputSize`.
    public init(_ incoming: any Layer, inputSize: Int, outputSize: Int, W: ParameterSpec = .normal(),
                name: String? = nil, file: String = #fileID, line: Int = #line) {
        let loc = here(file, line)
        location = loc
        self.name = name
        inputLayers = [incoming]
        outputShape = incoming.outputShape + [outputSize]
        do throws(GraphError) {
            let table = try W.make(shape: [inputSize, outputSize], name: parameterName(name, "W"),
                                   layer: "EmbeddingLayer", at: loc)
            self.table = table
            parameters = [LayerParameter(table, tags: [.trainable, .regularizable])]
        } catch {
            self.error = error.located(at: loc)
        }
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable {
        guard let W = table, error == nil else { return failedOutput(error!, like: inputs) }
        return W[inputs[0], file: location.fileID, line: location.line]
    }
}
