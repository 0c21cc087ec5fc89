import TensorRuntime

extension Op {
    /// The dims an op carries as attributes (printed, so their symbols get names).
    var attributeDims: [Dim] {
        switch self {
        case .input(_, let type): return type.shape
        case .broadcast(let dims), .reshape(let dims), .alloc(let dims): return dims
        case .arange(_, let length): return [length]
        case .random(let a): return a.shape
        case .col2im(_, let image): return image
        case .shared, .constant, .elementwise, .reduce, .argmax, .argmin, .dot, .batchedDot, .gemm, .dimshuffle,
             .concatenate, .slice, .advancedIndex, .setSlice, .setAdvancedIndex, .dimension, .softmax,
             .logSoftmax, .stopGradient, .conv2d, .conv2dGradInput, .conv2dGradFilters, .pool2d, .pool2dGrad, .pool2dGradGrad, .im2col:
            return []
        }
    }
}

extension GraphNames {
    /// The `{...}` attribute list of an op (empty string when it has none).
    func attributes(_ op: Op) -> String {
        let list = attributeList(op)
        return list.isEmpty ? "" : "{" + list.joined(separator: ", ") + "}"
    }

    private func attributeList(_ op: Op) -> [String] {
        switch op {
        case .input(let name, _): return ["name=\"\(name)\""]
        case .shared(let storage): return ["name=\"\(storage.name)\""]
        case .constant, .elementwise, .dot, .batchedDot, .advancedIndex, .stopGradient: return []
        case .broadcast(let dims), .reshape(let dims), .alloc(let dims): return ["shape=[\(self.dims(dims))]"]
        case .reduce(_, let axes, let keepDims):
            return ["axes=[\(axes.map(String.init).joined(separator: ","))]"] + flag("keepDims", keepDims)
        case .argmax(let axis, let keepDims), .argmin(let axis, let keepDims):
            return ["axis=\(axis)"] + flag("keepDims", keepDims)
        case .gemm(let transA, let transB): return flag("transA", transA) + flag("transB", transB)
        case .dimshuffle(let pattern):
            return ["pattern=[" + pattern.map { $0.map(String.init) ?? "x" }.joined(separator: ",") + "]"]
        case .concatenate(let axis), .dimension(let axis), .softmax(let axis), .logSoftmax(let axis):
            return ["axis=\(axis)"]
        case .slice(let specs): return [Self.specs(specs)]
        case .setSlice(let specs, let accumulate): return [Self.specs(specs)] + flag("accumulate", accumulate)
        case .setAdvancedIndex(let accumulate): return flag("accumulate", accumulate)
        case .arange(_, let length): return ["length=\(dims([length]))"]
        case .conv2d(let a), .conv2dGradInput(let a), .conv2dGradFilters(let a): return a.attributeList
        case .pool2d(let a), .pool2dGrad(let a), .pool2dGradGrad(let a): return a.attributeList
        case .random(let a): return a.attributeList(dims: { self.dims($0) })
        case .im2col(let a): return a.attributeList
        case .col2im(let a, let image): return a.attributeList + ["image=[\(dims(image))]"]
        }
    }

    private func flag(_ name: String, _ value: Bool) -> [String] { value ? ["\(name)=true"] : [] }

    private static func specs(_ specs: [SliceSpec]) -> String {
        "specs=[" + specs.map(\.description).joined(separator: ", ") + "]"
    }
}

/// The inline text of a constant: its value when small, else a count and a content hash.
func constantText(_ value: Tensor) -> String {
    guard value.count <= 8 else {
        return "<\(value.count) values #\(contentHash(value))>"
    }
    let scalars = (0..<value.count).map { scalarText(value, at: $0) }
    return nested(scalars[...], shape: value.shape[...])
}

/// `[[1, 2], [3, 4]]` from row-major scalars.
private func nested(_ scalars: ArraySlice<String>, shape: ArraySlice<Int>) -> String {
    guard let extent = shape.first else { return scalars.first ?? "" }
    let stride = shape.dropFirst().reduce(1, *)
    let parts = (0..<extent).map { i in
        nested(scalars.dropFirst(i * stride).prefix(stride), shape: shape.dropFirst())
    }
    return "[" + parts.joined(separator: ", ") + "]"
}

/// One element in its shortest exact text (`0.1` for a float32 0.1, `true`, `-3`).
private func scalarText(_ value: Tensor, at i: Int) -> String {
    switch value.dtype {
    case .float32: return Float(value.double(at: i)).description
    case .float64: return value.double(at: i).description
    case .int32, .int64, .uint8: return value.int64(at: i).description
    case .bool: return value.double(at: i) != 0 ? "true" : "false"
    }
}

/// A deterministic 64-bit FNV-1a hash of the bytes (Swift's Hasher is seeded per process).
private func contentHash(_ value: Tensor) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    value.withUnsafeRawBuffer { bytes in
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
