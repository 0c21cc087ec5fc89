/// Finds known-unstable patterns in a (usually optimized) graph, one warning per node, at the
/// user's line: what the stabilize rules would have rewritten had they matched.
package func lintGraph(_ graph: Graph) -> [CompileReport.Warning] {
    graph.nodes.compactMap { node in
        lintMessage(node).map { CompileReport.Warning(message: $0, location: node.location, rules: node.rules) }
    }
}

/// The warning for one node, or nil.
private func lintMessage(_ node: Node) -> String? {
    if let arg = node.operand(of: .log) ?? node.operand(of: .log1p) {
        return logMessage(node, arg)
    }
    if let (_, d) = node.operands(of: .div), let source = d.positiveSource {
        return "division by a \(source.op.name) (0/0 when it underflows); the stable gradient forms did not match"
    }
    if let (e, total) = node.operands(of: .div), e.isElementwise(.exp), sumOfExp(total) {
        return "hand-written softmax exp(x)/sum(exp(x)) overflows for large x: use softmax"
    }
    return nil
}

/// The warning for `node` = log(arg) or log1p(arg), or nil.
private func logMessage(_ node: Node, _ arg: Node) -> String? {
    let isLog = node.isElementwise(.log)
    if let source = arg.positiveSource {
        if case .softmax = source.op, isLog { return "log of a softmax underflows to -inf: use logSoftmax" }
        if source.isElementwise(.sigmoid), isLog { return "log of a sigmoid underflows to -inf: use -softplus(-x)" }
        if source.isElementwise(.exp), !isLog, arg === source { return "log1p(exp(x)) overflows: use softplus" }
        return nil
    }
    if isLog, let (one, s) = arg.operands(of: .sub), one.isUniform(1), s.positiveSource != nil {
        return "log(1 - \(s.positiveSource!.op.name)) loses precision: use -softplus(x) for a sigmoid"
    }
    if isLog, sumOfExp(arg) {
        return "log(sum(exp(x))) overflows for large x: use a max-shifted log-sum-exp"
    }
    if isLog, let (p, q) = arg.operands(of: .add), p.isUniform(1) || q.isUniform(1) {
        return "log(1 + x) loses precision for small x: use log1p"
    }
    return nil
}

/// True for sum(exp(x)) (possibly broadcast back, as a softmax denominator).
private func sumOfExp(_ node: Node) -> Bool {
    var n = node
    if case .broadcast = n.op { n = n.inputs[0] }
    if case .dimshuffle = n.op { n = n.inputs[0] }
    guard case .reduce(.sum, _, _) = n.op else { return false }
    return n.inputs[0].isElementwise(.exp)
}
