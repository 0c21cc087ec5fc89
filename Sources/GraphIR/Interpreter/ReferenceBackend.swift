import TensorRuntime

/// The reference interpreter as an execution backend: evaluates nodes one by one with
/// straightforward loops (matrix products through BLAS). The ground truth for every other
/// backend.
package struct ReferenceBackend: Backend {
    /// The (stateless) reference backend.
    package init() {}

    /// Prepares `graph` for repeated, thread-safe runs (see `ReferenceExecutable`).
    package func compile(_ graph: Graph) throws -> any Executable { try ReferenceExecutable(graph) }
}

/// Evaluates one node given its input values. `bindings` maps dim symbols to sizes seen so
/// far; the result's shape is checked against (and binds unbound symbols of) `node.type`.
/// Run-time mistakes (mismatched runtime sizes, out-of-range indices) throw `GraphError`
/// located at `node.location`.
package func evaluate(_ node: Node, _ inputs: [Tensor],
                      bindings: inout [DimSymbol: Int]) throws(GraphError) -> Tensor {
    do throws(GraphError) {
        try node.check()
        try checkOperands(node, inputs)
        let result = try evaluateOp(node, inputs, bindings: &bindings)
        try checkResult(node, result, bindings: &bindings)
        return result
    } catch {
        throw error.located(at: node.location)
    }
}

/// Dispatches on the op; operands have the dtypes and ranks of the node's inputs.
private func evaluateOp(_ node: Node, _ x: [Tensor],
                        bindings: inout [DimSymbol: Int]) throws(GraphError) -> Tensor {
    switch node.op {
    case .input, .shared: preconditionFailure("evaluate called on the leaf \(node); its value is an argument")
    case .constant(let value): return value
    case .elementwise(let op): return try evaluateElementwise(node, op, x)
    case .broadcast(let dims): return try evaluateBroadcast(node, dims, x[0], bindings)
    case .reduce(let r, let axes, let keepDims): return try evaluateReduce(node, r, axes, keepDims, x[0])
    case .argmax(let axis, let keepDims): return try evaluateArgExtreme(node, axis, keepDims, x[0], max: true)
    case .argmin(let axis, let keepDims): return try evaluateArgExtreme(node, axis, keepDims, x[0], max: false)
    case .dot: return try evaluateDot(node, x[0], x[1])
    case .batchedDot: return try evaluateBatchedDot(node, x[0], x[1])
    case .gemm(let transA, let transB): return try evaluateGemm(node, transA, transB, x)
    case .reshape(let dims): return try evaluateReshape(node, dims, x[0], bindings)
    case .dimshuffle(let pattern): return try evaluateDimshuffle(node, pattern, x[0])
    case .concatenate(let axis): return try evaluateConcatenate(node, axis, x)
    case .slice(let specs): return try evaluateSlice(node, specs, x[0])
    case .advancedIndex: return try evaluateAdvancedIndex(node, x[0], Array(x[1...]))
    case .setSlice(let specs, let accumulate): return try evaluateSetSlice(node, specs, accumulate, x[0], x[1])
    case .setAdvancedIndex(let accumulate):
        return try evaluateSetAdvancedIndex(node, accumulate, x[0], x[1], Array(x[2...]))
    case .arange(let dtype, _): return try evaluateArange(node, dtype, x[0], x[1], x[2])
    case .alloc: return try evaluateAlloc(node, x[0], Array(x[1...]))
    case .dimension(let axis): return Tensor(Int64(x[0].shape[axis]))
    case .softmax(let axis): return evaluateSoftmax(x[0], axis: axis, log: false, dtype: node.type.dtype)
    case .logSoftmax(let axis): return evaluateSoftmax(x[0], axis: axis, log: true, dtype: node.type.dtype)
    case .conv2d(let a): return try evaluateConv2d(node, a, x[0], x[1])
    case .conv2dGradInput(let a): return try evaluateConv2dGradInput(node, a, x[0], x[1], x[2])
    case .conv2dGradFilters(let a): return try evaluateConv2dGradFilters(node, a, x[0], x[1], x[2])
    case .pool2d(let a): return try evaluatePool2d(node, a, x[0])
    case .pool2dGrad(let a): return try evaluatePool2dGrad(node, a, x[0], x[1])
    case .pool2dGradGrad(let a): return try evaluatePool2dGradGrad(node, a, x[0], x[1])
    case .random(let a): return try evaluateRandom(node, a, x[0], Array(x[1...]))
    case .im2col(let a): return try evaluateIm2col(node, a, x[0])
    case .col2im(let a, let image): return try evaluateCol2im(node, a, image: image, x[0], bindings)
    case .stopGradient: return x[0]
    }
}

/// Checks operand count (an internal invariant), dtypes and ranks against the input nodes.
private func checkOperands(_ node: Node, _ inputs: [Tensor]) throws(GraphError) {
    precondition(inputs.count == node.inputs.count,
                 "\(node) has \(node.inputs.count) inputs, evaluate got \(inputs.count) values")
    for (i, (value, input)) in zip(inputs, node.inputs).enumerated() {
        guard value.dtype == input.type.dtype else {
            throw node.evaluationError(.dtype, "operand \(i) has dtype \(value.dtype) at run time, "
                                       + "expected \(input.type.dtype)")
        }
        guard value.rank == input.type.rank else {
            throw node.evaluationError(.shape, "operand \(i) has shape \(ShapeBinding.describe(value.shape)) "
                                       + "at run time, expected rank \(input.type.rank) (\(input.type))")
        }
    }
}

/// Checks the result against `node.type`, binding symbols seen for the first time.
private func checkResult(_ node: Node, _ result: Tensor, bindings: inout [DimSymbol: Int]) throws(GraphError) {
    precondition(result.dtype == node.type.dtype,
                 "interpreter produced \(result.dtype) for \(node.op.name) typed \(node.type)")
    let before = bindings
    guard ShapeBinding.unify(node.type.shape, with: result.shape, bindings: &bindings) else {
        let context = ShapeBinding.describeBindings(of: node.type.shape, before)
        bindings = before
        throw node.evaluationError(.shape, "result has shape \(ShapeBinding.describe(result.shape)) at run time, "
                                   + "expected \(node.type)\(context)")
    }
}

extension Node {
    /// An error about this node's evaluation, naming its op and located at its source line.
    func evaluationError(_ kind: GraphError.Kind, _ message: String) -> GraphError {
        GraphError(kind, op: op.name, message, at: location)
    }
}
