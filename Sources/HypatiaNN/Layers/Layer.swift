/// A layer of a network (Lasagne's `Layer`): a node of a DAG of layers whose last layer is the
/// network. Layers are classes because the DAG is built by reference (a layer can feed several
/// others, and parameters can be shared between layers).
///
/// A layer computes its symbolic output from its input layers' outputs in
/// `output(for:deterministic:)`; `getOutput(_:)` walks the DAG and calls it once per layer.
/// Mistakes in a layer's configuration (a shape its parameters cannot have, an invalid axis)
/// never crash: the layer records a `GraphError`, its output carries it, and `function(...)`
/// throws it with the line that created the layer.
public protocol Layer: AnyObject {
    /// The user's name for the layer (used in parameter names), if any.
    var name: String? { get }
    /// The layers whose outputs this layer reads, in order; empty for an `InputLayer`.
    var inputLayers: [any Layer] { get }
    /// The static output shape; nil marks an extent known only at run time (the batch axis).
    var outputShape: [Int?] { get }
    /// This layer's own parameters (not those of its input layers), in creation order.
    var parameters: [LayerParameter] { get }
    /// The symbolic output for the outputs of `inputLayers` (one variable each, same order).
    /// `deterministic` turns off stochastic behavior (dropout, noise) and makes batch norm use
    /// its running averages.
    func output(for inputs: [Variable], deterministic: Bool) -> Variable
}

/// What a parameter is used for (Lasagne's parameter tags).
public struct ParameterTags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Changed by training (update rules get it from `allParameters(of:trainable: true)`).
    public static let trainable = ParameterTags(rawValue: 1 << 0)
    /// Subject to weight decay (`regularizeNetworkParameters`): weights, not biases.
    public static let regularizable = ParameterTags(rawValue: 1 << 1)
}

/// One parameter of a layer: a shared variable, or an expression of shared variables (tied
/// weights such as `encoder.W.T`), with its tags.
public struct LayerParameter {
    /// The shared variable or expression the layer computes with.
    public let variable: Variable
    /// What the parameter is for.
    public var tags: ParameterTags

    /// A parameter with the given tags.
    public init(_ variable: Variable, tags: ParameterTags) {
        self.variable = variable
        self.tags = tags
    }
}

/// The output of a layer whose configuration is invalid: a node carrying `error`.
func failedOutput(_ error: GraphError, like inputs: [Variable]) -> Variable {
    let nodes = inputs.map(\.node)
    return Variable(Node.failed(error, type: nodes.first?.type ?? .scalar(.float32), inputs: nodes,
                                at: error.location ?? .internal))
}

/// The stand-in for a parameter a layer could not create: a variable carrying the error.
func missingParameter(_ error: GraphError?) -> Variable {
    let error = error ?? GraphError(.argument, op: "Layer", "parameter was not created")
    return Variable(Node.failed(error, at: error.location ?? .internal))
}

/// `name.suffix` when the layer has a name, else `suffix`: names of created shared variables.
func parameterName(_ layerName: String?, _ suffix: String) -> String {
    layerName.map { "\($0).\(suffix)" } ?? suffix
}

/// The source location of a layer's initializer call.
func here(_ file: String, _ line: Int) -> SourceLocation {
    SourceLocation(fileID: file, line: line)
}

/// The product of known extents, or nil if any is unknown.
func knownProduct(_ extents: ArraySlice<Int?>) -> Int? {
    var product = 1
    for extent in extents {
        guard let extent else { return nil }
        product *= extent
    }
    return product
}

/// `v` of rank `rank - newAxes.count` with size-1 axes inserted at `newAxes` (its own axes
/// keep their order), ready to broadcast against a rank-`rank` tensor.
func expand(_ v: Variable, rank: Int, newAxes: [Int]) -> Variable {
    var next = 0
    let pattern: [Int?] = (0..<rank).map { axis in
        if newAxes.contains(axis) { return nil }
        defer { next += 1 }
        return next
    }
    return Variable(Build.dimshuffle(v.node, pattern, at: v.node.location))
}
