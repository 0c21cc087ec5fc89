/// What `gradients` does for a `wrt` node the cost does not depend on.
package enum DisconnectedPolicy: Sendable {
    /// Record a `.disconnected` error on the returned node (Theano's default).
    case raise
    /// Return zeros shaped like the variable.
    case zero
}

/// Reverse-mode gradients of a scalar `cost` with respect to `wrt`, as new graph nodes.
///
/// One reverse topological sweep sums cotangents and calls each op's `vjp`. `knownGrads`
/// seeds cotangents of intermediate nodes (Theano's known_grads; the cost may then be nil
/// semantics: pass the cost anyway, its own seed is 1 unless it is in knownGrads). Integer
/// and bool nodes carry no gradient. Errors (non-scalar cost, ...) are recorded on the
/// returned nodes, never thrown.
///
/// Details:
/// - A node listed in `knownGrads` takes the given cotangent as its whole gradient (like
///   Theano, contributions from its consumers are not added). When the cost itself is listed,
///   its given cotangent replaces the seed, and the cost need not be a scalar.
/// - A `wrt` node the cost reaches only through non-differentiable paths (comparisons,
///   argmax, integer casts, `stopGradient`) gets zeros; one the cost does not reach at all is
///   disconnected and handled by `disconnected`. Integer and bool `wrt` nodes get zeros.
/// - Gradient nodes carry the source location of the forward node they differentiate; the
///   caller's `loc` is used only for errors and zeros returned per `wrt` slot.
/// - With `stabilize` (the default), the sweep differentiates the cost after the optimizer's
///   stabilize rules (`stabilizedForDifferentiation`): e.g. the gradient of
///   `-log(softmax(x)[i, y])` is built from `logSoftmax` and never divides by a probability.
package func gradients(of cost: Node, wrt: [Node], knownGrads: [(Node, Node)] = [],
                       disconnected: DisconnectedPolicy = .raise, at loc: SourceLocation,
                       stabilize: Bool = true) -> [Node] {
    if let problem = GradientSweep.problem(cost: cost, knownGrads: knownGrads) {
        return wrt.map { Node.failed(problem, type: $0.type, at: loc) }
    }
    let differentiated = stabilize
        ? stabilizedForDifferentiation(cost, wrt: wrt, hasKnownGrads: !knownGrads.isEmpty) : cost
    let sweep = GradientSweep(cost: differentiated, wrt: wrt, knownGrads: knownGrads)
    return wrt.map { sweep.result(for: $0, disconnected: disconnected, at: loc) }
}

/// The vector-Jacobian product of one node: for cotangent `g` of the node's output, the
/// cotangent contribution of each input (nil where the input is disconnected or integral).
///
/// Every contribution has its input's type: dtype cast back, and dims relabelled with a
/// reshape where a rule's result spells them differently (an input `[?m,3]` of a node typed
/// `[?n,3]` after unification). All nodes are built with `Build` at the forward node's
/// location, so the result is differentiable again.
package func vjp(_ node: Node, cotangent g: Node) -> [Node?] {
    let raw = VJP.contributions(node, g)
    precondition(raw.count == node.inputs.count, "vjp of \(node.op) gave \(raw.count) contributions")
    let b = VJP.Builder(node)
    return zip(node.inputs, raw).map { input, c in
        guard let c, input.type.dtype.isFloatingPoint else { return nil }
        return b.fit(Build.cast(c, to: input.type.dtype, at: b.loc), to: input)
    }
}

/// The per-op vector-Jacobian products; one extension file per op family.
enum VJP {
    /// The raw contributions of `node`'s inputs (one entry per input) for cotangent `g`.
    static func contributions(_ node: Node, _ g: Node) -> [Node?] {
        switch node.op {
        case .input, .shared, .constant: return []
        case .elementwise(let op): return elementwise(op, node, g)
        case .broadcast: return [broadcast(node, g)]
        case .reduce(let r, let axes, let keepDims): return [reduce(r, axes: axes, keepDims: keepDims, node, g)]
        case .argmax, .argmin: return [nil]
        case .dot: return dot(node, g)
        case .batchedDot: return batchedDot(node, g)
        case .gemm(let transA, let transB): return gemm(transA: transA, transB: transB, node, g)
        case .reshape: return [reshape(node, g)]
        case .dimshuffle(let pattern): return [dimshuffle(pattern, node, g)]
        case .concatenate(let axis): return concatenate(axis: axis, node, g)
        case .slice(let specs): return [slice(specs, node, g)]
        case .advancedIndex: return advancedIndex(node, g)
        case .setSlice(let specs, let accumulate): return setSlice(specs, accumulate: accumulate, node, g)
        case .setAdvancedIndex(let accumulate): return setAdvancedIndex(accumulate: accumulate, node, g)
        case .arange: return node.inputs.map { _ in nil }
        case .alloc: return alloc(node, g)
        case .dimension: return [nil]
        case .softmax(let axis): return [softmax(axis: axis, node, g)]
        case .logSoftmax(let axis): return [logSoftmax(axis: axis, node, g)]
        case .conv2d(let a): return conv2d(a, node, g)
        case .conv2dGradInput(let a): return conv2dGradInput(a, node, g)
        case .conv2dGradFilters(let a): return conv2dGradFilters(a, node, g)
        case .pool2d(let a): return [Build.pool2dGrad(node.inputs[0], g, a, at: node.location)]
        case .pool2dGrad(let a): return pool2dGrad(a, node, g)
        case .pool2dGradGrad(let a): return [nil, Build.pool2dGrad(node.inputs[0], g, a, at: node.location)]
        case .im2col(let a): return [Build.col2im(g, a, image: node.inputs[0].type.shape, at: node.location)]
        case .col2im(let a, _): return [Build.im2col(g, a, at: node.location)]
        case .stopGradient, .random: return node.inputs.map { _ in nil }
        }
    }
}
