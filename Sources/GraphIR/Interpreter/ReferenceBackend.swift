import TensorRuntime

/// The reference interpreter as an execution backend: evaluates nodes one by one with
/// straightforward loops (matrix products through BLAS). The ground truth for every other
/// backend.
package struct ReferenceBackend: Backend {
    package init() {}

    package func compile(_ graph: Graph) throws -> any Executable { unimplemented() }
}

/// Evaluates one node given its input values. `bindings` maps dim symbols to sizes seen so
/// far; the result's shape is checked against (and binds unbound symbols of) `node.type`.
/// Run-time mistakes (mismatched runtime sizes, out-of-range indices) throw `GraphError`
/// located at `node.location`.
package func evaluate(_ node: Node, _ inputs: [Tensor],
                      bindings: inout [DimSymbol: Int]) throws(GraphError) -> Tensor {
    unimplemented()
}
