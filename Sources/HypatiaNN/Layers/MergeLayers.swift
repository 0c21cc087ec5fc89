/// Joins the outputs of several layers along an axis (Lasagne's `ConcatLayer`).
public final class ConcatLayer: Layer {
    public let name: String?
    public let inputLayers: [any Layer]
    public let outputShape: [Int?]
    public let parameters: [LayerParameter] = []
    /// The axis joined along (negative counts from the end).
    public let axis: Int
    /// Where the layer was created (the line its errors name).
    let location: SourceLocation

    /// The concatenation of `incomings` along `axis` (default 1, the features).
    public init(_ incomings: [any Layer], axis: Int = 1, name: String? = nil,
                file: String = #fileID, line: Int = #line) {
        location = here(file, line)
        self.name = name
        inputLayers = incomings
        self.axis = axis
        let shapes = incomings.map(\.outputShape)
        let rank = shapes.first?.count ?? 0
        let a = axis < 0 ? axis + rank : axis
        outputShape = (0..<rank).map { i in
            if i == a {
                return shapes.reduce(Optional(0)) { sum, shape in
                    guard let sum, shape.indices.contains(i), let extent = shape[i] else { return nil }
                    return sum + extent
                }
            }
            return shapes.lazy.compactMap { $0.indices.contains(i) ? $0[i] : nil }.first
        }
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable {
        concatenate(inputs, axis: axis, file: location.fileID, line: location.line)
    }
}

/// The elementwise sum of several layers' outputs, each times a coefficient (Lasagne's
/// `ElemwiseSumLayer`; residual connections).
public final class ElemwiseSumLayer: Layer {
    public let name: String?
    public let inputLayers: [any Layer]
    public let outputShape: [Int?]
    public let parameters: [LayerParameter] = []
    /// One coefficient per input layer.
    public let coefficients: [Double]
    /// Where the layer was created (the line its errors name).
    let location: SourceLocation

    /// The sum of `incomings` weighted by `coefficients` (nil: all 1; else one per input).
    public init(_ incomings: [any Layer], coefficients: [Double]? = nil, name: String? = nil,
                file: String = #fileID, line: Int = #line) {
        location = here(file, line)
        self.name = name
        inputLayers = incomings
        self.coefficients = coefficients ?? Array(repeating: 1, count: incomings.count)
        let shapes = incomings.map(\.outputShape)
        let rank = shapes.first?.count ?? 0
        outputShape = (0..<rank).map { i in shapes.lazy.compactMap { $0.indices.contains(i) ? $0[i] : nil }.first }
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable {
        guard coefficients.count == inputs.count, !inputs.isEmpty else {
            return failedOutput(GraphError(.argument, op: "ElemwiseSumLayer", "needs one coefficient per input "
                                           + "(\(inputs.count) inputs), got \(coefficients.count)", at: location),
                                like: inputs)
        }
        let terms = zip(inputs, coefficients).map { x, c in c == 1 ? x : c * x }
        return terms.dropFirst().reduce(terms[0], +)
    }
}
