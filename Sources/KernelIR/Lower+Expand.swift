import GraphIR
import TensorRuntime

/// Rewrites applied before scheduling, for lowering only (the graph's meaning is unchanged).
enum LoweringExpansion {
    /// The graph with `softmax` and `logSoftmax` expanded into the max-shifted reductions they
    /// compute (so they become row kernels), and the reductions the expansion created; the
    /// optimizer's `gemm` goes back to `beta·c + alpha·dot(op(a), op(b))`, whose parts the
    /// scheduler folds itself (transposes and a constant alpha into the library product, the
    /// accumulation into the kernel consuming it, fused with what follows, e.g. a bias and tanh).
    ///
    /// softmax(x) = e / Σe with e = exp(x - max(x)); logSoftmax(x) = (x - max(x)) - log Σe.
    /// conv2d and its gradients become products over im2col columns (see `ConvExpansion`); the
    /// last result lists the values the scheduler must materialize for them.
    static func expand(_ graph: Graph) -> (Graph, Set<Node>, materialize: Set<Node>) {
        var replaced: [Node: Node] = [:], created = Set<Node>(), rows: [RowKey: RowStatistics] = [:]
        var convolutions = ConvExpansion()
        for node in graph.nodes {
            let inputs = node.inputs.map { replaced[$0] ?? $0 }
            let replacement: Node
            if let axis = softmaxAxis(node) {
                let key = RowKey(x: inputs[0], axis: axis)
                let stats = rows[key] ?? RowStatistics(inputs[0], axis: axis, at: node.location)
                rows[key] = stats
                created.formUnion([stats.max, stats.sum])
                replacement = stats.result(of: node)
            } else if case .gemm(let transA, let transB) = node.op {
                replacement = gemmAsDot(inputs, transA: transA, transB: transB, node)
            } else if let expanded = convolutions.expand(node, inputs) {
                replacement = expanded
            } else {
                let same = zip(inputs, node.inputs).allSatisfy { $0 === $1 }
                replacement = same ? node : Node.make(node.op, inputs, at: node.location)
            }
            if replacement !== node { replaced[node] = replacement }
        }
        var result = Graph(name: graph.name, inputs: graph.inputs, outputs: graph.outputs.map { replaced[$0] ?? $0 },
                           outputCount: graph.outputCount)
        result.updateTargets = graph.updateTargets
        return (result, created, convolutions.materialize)
    }

    /// The axis of a softmax or logSoftmax node.
    private static func softmaxAxis(_ node: Node) -> Int? {
        if case .softmax(let axis) = node.op { return axis }
        if case .logSoftmax(let axis) = node.op { return axis }
        return nil
    }

    private static func gemmAsDot(_ x: [Node], transA: Bool, transB: Bool, _ node: Node) -> Node {
        let loc = node.location
        let (c, alpha, a, b, beta) = (x[0], x[1], x[2], x[3], x[4])
        let opA = transA ? Build.transpose(a, axes: [1, 0], at: loc) : a
        let opB = transB ? Build.transpose(b, axes: [1, 0], at: loc) : b
        var product = Build.dot(opA, opB, at: loc)
        if NodeFacts.scalarValue(alpha) != 1 { product = Build.binary(.mul, alpha, product, at: loc) }
        let result: Node
        switch NodeFacts.scalarValue(beta) {
        case 0: result = product   // BLAS ignores c when beta is 0
        case 1: result = Build.binary(.add, c, product, at: loc)
        default: result = Build.binary(.add, Build.binary(.mul, beta, c, at: loc), product, at: loc)
        }
        return Build.reshape(result, dims: node.type.shape, at: loc)
    }
}

/// A softmax input and axis (softmax and logSoftmax of one input share their statistics).
private struct RowKey: Hashable {
    let x: Node
    let axis: Int
}

/// The max-shifted statistics of softmax rows: m = max(x), shifted = x - m, e = exp(shifted),
/// Σe; softmax = e / Σe, logSoftmax = shifted - log Σe.
private struct RowStatistics {
    let max: Node, shifted: Node, exponentials: Node, sum: Node

    init(_ x: Node, axis: Int, at loc: SourceLocation) {
        max = Build.reduce(.max, x, axes: [axis], keepDims: true, at: loc)
        shifted = Build.binary(.sub, x, max, at: loc)
        exponentials = Build.unary(.exp, shifted, at: loc)
        sum = Build.reduce(.sum, exponentials, axes: [axis], keepDims: true, at: loc)
    }

    /// The expansion of a softmax or logSoftmax node over these statistics.
    func result(of node: Node) -> Node {
        let loc = node.location
        let result: Node
        if case .logSoftmax = node.op {
            result = Build.binary(.sub, shifted, Build.unary(.log, sum, at: loc), at: loc)
        } else {
            result = Build.binary(.div, exponentials, sum, at: loc)
        }
        precondition(result.type == node.type,
                     "expanded \(node.op.name) has type \(result.type), expected \(node.type)")
        return result
    }
}
