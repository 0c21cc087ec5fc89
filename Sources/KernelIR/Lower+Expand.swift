import GraphIR
import TensorRuntime

/// Rewrites applied before scheduling, for lowering only (the graph's meaning is unchanged).
enum LoweringExpansion {
    /// The graph with `softmax` and `logSoftmax` expanded into the max-shifted reductions they
    /// compute (so they become row kernels), and the reductions the expansion created.
    ///
    /// softmax(x) = e / Σe with e = exp(x - max(x)); logSoftmax(x) = (x - max(x)) - log Σe.
    static func expand(_ graph: Graph) -> (Graph, Set<Node>) {
        var replaced: [Node: Node] = [:], created = Set<Node>()
        for node in graph.nodes {
            let inputs = node.inputs.map { replaced[$0] ?? $0 }
            let replacement: Node
            switch node.op {
            case .softmax(let axis): replacement = softmax(inputs[0], axis: axis, log: false, node, &created)
            case .logSoftmax(let axis): replacement = softmax(inputs[0], axis: axis, log: true, node, &created)
            default:
                let same = zip(inputs, node.inputs).allSatisfy { $0 === $1 }
                replacement = same ? node : Node.make(node.op, inputs, at: node.location)
            }
            if replacement !== node { replaced[node] = replacement }
        }
        var result = Graph(name: graph.name, inputs: graph.inputs, outputs: graph.outputs.map { replaced[$0] ?? $0 },
                           outputCount: graph.outputCount)
        result.updateTargets = graph.updateTargets
        return (result, created)
    }

    private static func softmax(_ x: Node, axis: Int, log: Bool, _ node: Node, _ created: inout Set<Node>) -> Node {
        let loc = node.location
        let m = Build.reduce(.max, x, axes: [axis], keepDims: true, at: loc)
        let shifted = Build.binary(.sub, x, m, at: loc)
        let e = Build.unary(.exp, shifted, at: loc)
        let s = Build.reduce(.sum, e, axes: [axis], keepDims: true, at: loc)
        created.formUnion([m, s])
        let result = log ? Build.binary(.sub, shifted, Build.unary(.log, s, at: loc), at: loc)
                         : Build.binary(.div, e, s, at: loc)
        precondition(result.type == node.type, "expanded \(node.op.name) has type \(result.type), expected \(node.type)")
        return result
    }
}
