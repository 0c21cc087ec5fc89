import TensorRuntime

extension Build {
    /// Basic slicing (one spec per leading axis).
    package static func slice(_ x: Node, _ specs: [SliceSpec], at loc: SourceLocation) -> Node {
        Node.make(.slice(specs), [x], at: loc)
    }

    /// Integer-array indexing `x[i0, i1, ...]`: indices cast to int64 and broadcast together.
    package static func advancedIndex(_ x: Node, _ indices: [Node], at loc: SourceLocation) -> Node {
        guard !indices.isEmpty else {
            return failure(GraphError(.argument, op: "advancedIndex", "needs at least one index tensor"), [x], at: loc)
        }
        if let bad = indices.first(where: { !$0.type.dtype.isInteger }) {
            let message = "index tensors must be integers, got \(bad.type) (indexing \(x.type))"
            return failure(GraphError(.dtype, op: "advancedIndex", message), [x] + indices, at: loc)
        }
        let shape: [Dim]
        do {
            shape = try broadcastShape(of: indices.map(\.type), op: "advancedIndex")
        } catch {
            return failure(error, [x] + indices, at: loc)
        }
        let prepared = indices.map { expand(cast($0, to: .int64, at: loc), to: shape, at: loc) }
        return Node.make(.advancedIndex, [x] + prepared, at: loc)
    }

    /// Theano's set_subtensor / inc_subtensor: `subtensor` must be a `.slice` or
    /// `.advancedIndex` node; values are cast to x's dtype and broadcast to the subtensor shape.
    package static func setSubtensor(_ subtensor: Node, _ values: Node, accumulate: Bool,
                                     at loc: SourceLocation) -> Node {
        let op = accumulate ? "incSubtensor" : "setSubtensor"
        let prepared = expand(cast(values, to: subtensor.type.dtype, at: loc), to: subtensor.type.shape, at: loc)
        if case .slice(let specs) = subtensor.op {
            return Node.make(.setSlice(specs, accumulate: accumulate), [subtensor.inputs[0], prepared], at: loc)
        }
        if case .advancedIndex = subtensor.op {
            let x = subtensor.inputs[0], indices = subtensor.inputs.dropFirst()
            return Node.make(.setAdvancedIndex(accumulate: accumulate), [x, prepared] + indices, at: loc)
        }
        let message = "set/incSubtensor needs x[...] (a slice or integer-array index) as its target, "
            + "got the result of \(subtensor.op.name)"
        return failure(GraphError(.argument, op: op, message), [subtensor, values], at: loc)
    }
}
