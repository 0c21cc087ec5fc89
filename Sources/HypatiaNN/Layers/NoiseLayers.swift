/// Dropout (Lasagne's `DropoutLayer`): in training, each unit is zeroed with probability `p`
/// and, with `rescale`, the kept units are divided by `1 - p` so the expected output equals
/// the input; deterministic outputs are the input itself.
///
/// The mask comes from the layer's `RandomStreams` (seed `seed`, or one drawn from HypatiaNN's
/// shared generator, see `setRandomSeed(_:)`); every call of a compiled training function
/// draws a new mask. An invalid `p` (outside [0, 1)) is recorded as a `GraphError`.
public final class DropoutLayer: Layer {
    public let name: String?
    public let inputLayers: [any Layer]
    public let outputShape: [Int?]
    public let parameters: [LayerParameter] = []
    /// The probability of dropping a unit.
    public let p: Double
    /// Whether kept units are scaled by 1 / (1 - p).
    public let rescale: Bool
    /// The stream the masks are drawn from.
    public let streams: RandomStreams
    /// Where the layer was created (the line its errors name).
    let location: SourceLocation

    /// Dropout of probability `p` on `incoming`.
    public init(_ incoming: any Layer, p: Double = 0.5, rescale: Bool = true, seed: UInt64? = nil,
                name: String? = nil, file: String = #fileID, line: Int = #line) {
        self.name = name
        inputLayers = [incoming]
        outputShape = incoming.outputShape
        self.p = p
        self.rescale = rescale
        streams = RandomStreams(seed: seed ?? nextRandomSeed(), file: file, line: line)
        location = here(file, line)
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable {
        let x = inputs[0]
        guard p >= 0, p < 1 else {
            return failedOutput(GraphError(.argument, op: "DropoutLayer", "p must be in [0, 1), got \(p)",
                                           at: location), like: inputs)
        }
        if deterministic || p == 0 { return x }
        let retain = 1 - p
        let mask = streams.binomial(shape: x.shape, p: retain, dtype: x.dtype,
                                    file: location.fileID, line: location.line)
        return (rescale ? x / retain : x) * mask
    }
}

/// Additive Gaussian noise (Lasagne's `GaussianNoiseLayer`): `x + N(0, sigma²)` in training,
/// `x` when deterministic. Draws come from the layer's `RandomStreams` (see `DropoutLayer`).
public final class GaussianNoiseLayer: Layer {
    public let name: String?
    public let inputLayers: [any Layer]
    public let outputShape: [Int?]
    public let parameters: [LayerParameter] = []
    /// The noise's standard deviation.
    public let sigma: Double
    /// The stream the noise is drawn from.
    public let streams: RandomStreams
    /// Where the layer was created (the line its errors name).
    let location: SourceLocation

    /// Noise of standard deviation `sigma` on `incoming`.
    public init(_ incoming: any Layer, sigma: Double = 0.1, seed: UInt64? = nil, name: String? = nil,
                file: String = #fileID, line: Int = #line) {
        self.name = name
        inputLayers = [incoming]
        outputShape = incoming.outputShape
        self.sigma = sigma
        streams = RandomStreams(seed: seed ?? nextRandomSeed(), file: file, line: line)
        location = here(file, line)
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable {
        let x = inputs[0]
        if deterministic || sigma == 0 { return x }
        return x + streams.normal(shape: x.shape, std: sigma, dtype: x.dtype, file: location.fileID,
                                  line: location.line)
    }
}
