/// Flattens the trailing axes (Lasagne's `FlattenLayer`): keeps the first `outdim - 1` axes and
/// merges the rest into one, e.g. `[batch, 8, 4, 4]` → `[batch, 128]` with `outdim: 2`.
public final class FlattenLayer: Layer {
    public let name: String?
    public let inputLayers: [any Layer]
    public let outputShape: [Int?]
    public let parameters: [LayerParameter] = []
    /// The rank of the output.
    public let outdim: Int
    /// Where the layer was created (the line its errors name).
    let location: SourceLocation

    /// Flattening of `incoming` to rank `outdim`.
    public init(_ incoming: any Layer, outdim: Int = 2, name: String? = nil,
                file: String = #fileID, line: Int = #line) {
        location = here(file, line)
        self.name = name
        inputLayers = [incoming]
        self.outdim = outdim
        let shape = incoming.outputShape
        let kept = Swift.max(0, Swift.min(outdim - 1, shape.count))
        outputShape = Array(shape.prefix(kept)) + [knownProduct(shape.dropFirst(kept))]
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable {
        inputs[0].flatten(outdim: outdim, file: location.fileID, line: location.line)
    }
}

/// One extent of a `ReshapeLayer` target: a size (`-1` at most once: inferred), or an input
/// axis's extent (Lasagne's `[i]`). Integer literals are sizes.
public enum ReshapeExtent: Hashable, Sendable, ExpressibleByIntegerLiteral {
    case size(Int)
    case input(Int)
    public init(integerLiteral value: Int) { self = .size(value) }
}

/// A reshape whose target may refer to the input's extents (Lasagne's `ReshapeLayer`), e.g.
/// `[.input(0), 1, 28, 28]` turns a `[batch, 784]` input into images for any batch size.
public final class ReshapeLayer: Layer {
    public let name: String?
    public let inputLayers: [any Layer]
    public let outputShape: [Int?]
    public let parameters: [LayerParameter] = []
    /// The target shape specification.
    public let shape: [ReshapeExtent]
    /// Where the layer was created (the line its errors name).
    let location: SourceLocation

    /// A reshape of `incoming` to `shape`.
    public init(_ incoming: any Layer, shape: [ReshapeExtent], name: String? = nil,
                file: String = #fileID, line: Int = #line) {
        self.name = name
        inputLayers = [incoming]
        self.shape = shape
        location = here(file, line)
        let input = incoming.outputShape
        var result: [Int?] = shape.map { extent in
            switch extent {
            case .size(let n): return n == -1 ? nil : n
            case .input(let i): return input.indices.contains(i) ? input[i] : nil
            }
        }
        if let wildcard = shape.firstIndex(of: .size(-1)) {
            result[wildcard] = Self.inferredExtent(shape, input: input)
        }
        outputShape = result
    }

    /// The static extent of the `-1` entry: the input's element count over the other entries',
    /// where axes copied with `.input(i)` cancel (so an unknown batch does not matter).
    private static func inferredExtent(_ shape: [ReshapeExtent], input: [Int?]) -> Int? {
        var copied = Set<Int>()
        var known = 1
        for extent in shape {
            switch extent {
            case .size(let n): if n != -1 { known *= n }
            case .input(let i): copied.insert(i)
            }
        }
        let rest = input.enumerated().filter { !copied.contains($0.offset) }.map(\.element)
        guard let total = knownProduct(rest[...]), known > 0 else { return nil }
        return total / known
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable {
        let x = inputs[0]
        let inputDims = x.type.shape
        let sizes = shape.compactMap { extent -> Int? in if case .size(let n) = extent { n } else { nil } }
        guard sizes.filter({ $0 == -1 }).count <= 1, sizes.allSatisfy({ $0 >= -1 }) else {
            return failure("may hold one -1 and otherwise non-negative sizes", x)
        }
        let wildcards = shape.indices.filter { shape[$0] == .size(-1) }
        var dims: [Dim] = []
        for extent in shape {
            switch extent {
            case .size(let n) where n >= 0: dims.append(.constant(n))
            case .size: dims.append(.constant(1))  // the wildcard, replaced below
            case .input(let i):
                guard inputDims.indices.contains(i) else { return failure("refers to axis \(i)", x) }
                dims.append(inputDims[i])
            }
        }
        if let wildcard = wildcards.first {
            dims[wildcard] = Dim.floorDiv(Dim.product(of: inputDims), Dim.product(of: dims))
        }
        return Variable(Build.reshape(x.node, dims: dims, at: location))
    }

    /// An output recording an invalid target shape.
    private func failure(_ problem: String, _ x: Variable) -> Variable {
        failedOutput(GraphError(.argument, op: "ReshapeLayer", "shape \(shape) \(problem) for input \(x.type)",
                                at: location), like: [x])
    }
}

/// Permutes axes and inserts size-1 axes (Lasagne's `DimshuffleLayer`), e.g. `[0, "x", 1]`.
public final class DimshuffleLayer: Layer {
    public let name: String?
    public let inputLayers: [any Layer]
    public let outputShape: [Int?]
    public let parameters: [LayerParameter] = []
    /// The dimshuffle pattern: input axes and `"x"` for new axes.
    public let pattern: [DimshuffleEntry]
    /// Where the layer was created (the line its errors name).
    let location: SourceLocation

    /// A dimshuffle of `incoming` by `pattern` (input axes and `"x"` for new axes).
    public init(_ incoming: any Layer, pattern: [DimshuffleEntry], name: String? = nil,
                file: String = #fileID, line: Int = #line) {
        self.name = name
        inputLayers = [incoming]
        self.pattern = pattern
        location = here(file, line)
        let input = incoming.outputShape
        outputShape = pattern.map { entry in
            switch entry {
            case .axis(let i): return input.indices.contains(i) ? input[i] : nil
            case .newAxis: return 1
            case .invalid: return nil
            }
        }
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable {
        var axes: [Int?] = []
        for entry in pattern {
            switch entry {
            case .axis(let i): axes.append(i)
            case .newAxis: axes.append(nil)
            case .invalid(let text):
                return failedOutput(GraphError(.argument, op: "DimshuffleLayer",
                                               "pattern entry \"\(text)\" is neither an axis nor \"x\"",
                                               at: location), like: inputs)
            }
        }
        return Variable(Build.dimshuffle(inputs[0].node, axes, at: location))
    }
}
