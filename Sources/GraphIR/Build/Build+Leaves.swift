import TensorRuntime

extension Build {
    /// A symbolic input. A nil extent becomes a fresh symbol hinted `"\(name)\(axis)"`.
    package static func input(_ name: String, dtype: DType, shape: [Int?], at loc: SourceLocation) -> Node {
        if let bad = shape.first(where: { ($0 ?? 0) < 0 }) {
            let message = "negative extent \(bad!) in shape \(describe(shape)) of input \(name)"
            return failure(GraphError(.argument, op: "input", message), [], at: loc)
        }
        let dims: [Dim] = shape.enumerated().map { axis, extent in
            extent.map { .constant($0) } ?? .symbol(.fresh(hint: "\(name)\(axis)"))
        }
        return Node.make(.input(name: name, TensorType(dtype, dims)), [], at: loc)
    }

    /// A node reading a shared variable.
    package static func shared(_ storage: SharedStorage, at loc: SourceLocation) -> Node {
        Node.make(.shared(storage), [], at: loc)
    }

    /// A constant node.
    package static func constant(_ value: Tensor, at loc: SourceLocation) -> Node {
        Node.make(.constant(value), [], at: loc)
    }

    /// A rank-0 constant of the given dtype.
    package static func scalar(_ value: Double, dtype: DType, at loc: SourceLocation) -> Node {
        constant(Tensor(value, dtype: dtype), at: loc)
    }
}
