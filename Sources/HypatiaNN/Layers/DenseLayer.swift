/// A fully connected layer (Lasagne's `DenseLayer`): `nonlinearity(x · W + b)`.
///
/// An input of rank above 2 is flattened to `[batch, product of the other extents]` first
/// (Lasagne's `num_leading_axes=1`), so a dense layer can follow a convolution directly.
/// `W` has shape `[inputs, units]` and `b` shape `[units]`.
public final class DenseLayer: Layer {
    public let name: String?
    public let inputLayers: [any Layer]
    public let outputShape: [Int?]
    /// This layer's own parameters (see `Layer.parameters`).
    public private(set) var parameters: [LayerParameter] = []
    /// The weights `[inputs, units]`; for an invalid configuration, a variable carrying the
    /// layer's error (so a layer tied to it fails the same way).
    public var W: Variable { weights ?? missingParameter(error) }
    private var weights: Variable?
    /// The biases `[units]` (nil without biases or for an invalid configuration).
    public private(set) var b: Variable?
    /// The activation applied to `x · W + b`.
    public let nonlinearity: Nonlinearity
    /// Why the layer cannot compute, if its configuration is invalid.
    public private(set) var error: GraphError?
    /// Where the layer was created (the line its errors name).
    let location: SourceLocation

    /// A dense layer with `units` outputs on top of `incoming` (whose extents after the first
    /// must be known). `b: nil` leaves out the biases.
    public init(_ incoming: any Layer, units: Int, W: ParameterSpec = .glorotUniform,
                b: ParameterSpec? = .constant(0), nonlinearity: Nonlinearity = .rectify, name: String? = nil,
                file: String = #fileID, line: Int = #line) {
        let loc = here(file, line)
        location = loc
        self.name = name
        inputLayers = [incoming]
        outputShape = [incoming.outputShape.first ?? nil, units]
        self.nonlinearity = nonlinearity
        do throws(GraphError) {
            guard units > 0 else { throw GraphError(.argument, op: "DenseLayer", "units must be positive, got \(units)") }
            guard incoming.outputShape.count >= 2, let inputs = knownProduct(incoming.outputShape.dropFirst()) else {
                throw GraphError(.shape, op: "DenseLayer", "needs an input of rank ≥ 2 with known extents after the "
                                 + "first, got shape \(incoming.outputShape)")
            }
            let weights = try W.make(shape: [inputs, units], name: parameterName(name, "W"), layer: "DenseLayer", at: loc)
            self.weights = weights
            parameters.append(LayerParameter(weights, tags: [.trainable, .regularizable]))
            if let b {
                let biases = try b.make(shape: [units], name: parameterName(name, "b"), layer: "DenseLayer", at: loc)
                self.b = biases
                parameters.append(LayerParameter(biases, tags: [.trainable]))
            }
        } catch {
            self.error = error.located(at: loc)
        }
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable {
        guard let W = weights, error == nil else { return failedOutput(error!, like: inputs) }
        let x = inputs[0].rank > 2 ? inputs[0].flatten(outdim: 2, file: location.fileID, line: location.line) : inputs[0]
        let activation = dot(x, W, file: location.fileID, line: location.line)
        return nonlinearity(b.map { activation + $0 } ?? activation)
    }
}
