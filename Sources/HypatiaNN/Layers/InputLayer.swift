/// The start of a network (Lasagne's `InputLayer`): a symbolic input of a given shape.
public final class InputLayer: Layer {
    public let name: String?
    public let inputLayers: [any Layer] = []
    public let outputShape: [Int?]
    public let parameters: [LayerParameter] = []
    /// The variable this layer outputs unless `getOutput(_:inputs:)` substitutes another.
    public let input: Variable

    /// An input of `shape` (nil for extents known only at run time, such as the batch): a new
    /// float32 tensor variable named after the layer, or `input` (which should have `shape`).
    public init(shape: [Int?], input: Variable? = nil, name: String? = nil,
                file: String = #fileID, line: Int = #line) {
        self.name = name
        outputShape = shape
        self.input = input ?? tensor(name ?? "input", shape: shape, file: file, line: line)
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable { input }
}
