import TensorRuntime

/// The type rule of every op: the result type for given input types, or a typed error
/// (without location; `Node.make` adds the user's line).
package func inferType(_ op: Op, _ inputs: [TensorType]) throws(GraphError) -> TensorType {
    unimplemented()
}

extension Op {
    /// The op's name in IR text and error messages (`add`, `dot`, `logSoftmax`, ...).
    package var name: String { unimplemented() }
}
