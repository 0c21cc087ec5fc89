import TensorRuntime

/// Canonicalization rules for shape ops, casts, useless ops and shape queries.
enum ShapeRules {
    static let all: [RewriteRule] = [mergeDimshuffle, uselessDimshuffle, liftDimshuffle, uniformFill, mergeReshape,
                                     uselessReshape, mergeBroadcast, uselessBroadcast, mergeCast, uselessCast,
                                     uselessReduce, removeStopGradient, dimensionConstant, dimensionFromInput]

    // dimshuffle(dimshuffle(x, p), q) → dimshuffle(x, [p[q[i]]])  (x itself for the identity)
    static let mergeDimshuffle = RewriteRule("mergeDimshuffle") { node, _ in
        guard case .dimshuffle(let outer) = node.op, case .dimshuffle(let inner) = node.inputs[0].op else { return nil }
        let composed = outer.map { axis in axis.flatMap { inner[$0] } }
        return Build.dimshuffle(node.inputs[0].inputs[0], composed, at: node.location)
    }

    // dimshuffle(x, [0, 1, …]) → x
    static let uselessDimshuffle = RewriteRule("uselessDimshuffle") { node, _ in
        guard case .dimshuffle(let pattern) = node.op, pattern == Array(0..<node.inputs[0].type.rank) else { return nil }
        return node.inputs[0]
    }

    // dimshuffle(f(a, b, …)) → f(dimshuffle(a), dimshuffle(b), …)   for elementwise f used once,
    // when an operand is itself a dimshuffle or a constant (so the shuffles merge or vanish)
    static let liftDimshuffle = RewriteRule("liftDimshuffle") { node, context in
        guard case .dimshuffle(let pattern) = node.op, let inner = node.inputs.first,
              inner.scalarOp != nil, context.hasSingleUse(inner),
              inner.inputs.allSatisfy({ $0.type.rank == inner.type.rank }),
              inner.inputs.contains(where: { operand in
                  if case .dimshuffle = operand.op { return true }
                  return operand.uniformValue != nil
              }) else { return nil }
        let shuffled = inner.inputs.map { Build.dimshuffle($0, pattern, at: node.location) }
        return Node.make(inner.op, shuffled, at: node.location)
    }

    // dimshuffle / reshape / broadcast of a constant filled with c → c filled to the result shape
    static let uniformFill = RewriteRule("uniformFill") { node, context in
        guard node.op.passThrough == .view, !node.isCanonicalFill, let value = node.inputs[0].uniformValue else { return nil }
        let b = RuleBuilder(node, context)
        return node.type.rank == 0 ? b.scalar(value, node.type.dtype) : b.fill(value, node.type)
    }

    // reshape(reshape(x)) → reshape(x)
    static let mergeReshape = RewriteRule("mergeReshape") { node, _ in
        guard case .reshape(let dims) = node.op, case .reshape = node.inputs[0].op else { return nil }
        return Build.reshape(node.inputs[0].inputs[0], dims: dims, at: node.location)
    }

    // reshape(x, shape(x)) → x
    static let uselessReshape = RewriteRule("uselessReshape") { node, _ in
        guard case .reshape(let dims) = node.op, dims == node.inputs[0].type.shape else { return nil }
        return node.inputs[0]
    }

    // broadcast(broadcast(x)) → broadcast(x)
    static let mergeBroadcast = RewriteRule("mergeBroadcast") { node, _ in
        guard case .broadcast(let dims) = node.op, case .broadcast = node.inputs[0].op else { return nil }
        return Node.make(.broadcast(dims), [node.inputs[0].inputs[0]], at: node.location)
    }

    // broadcast(x, shape(x)) → x
    static let uselessBroadcast = RewriteRule("uselessBroadcast") { node, _ in
        guard case .broadcast(let dims) = node.op, dims == node.inputs[0].type.shape else { return nil }
        return node.inputs[0]
    }

    // cast(cast(x, T₁), T₂) → cast(x, T₂)   when T₁ holds every value of x's dtype
    static let mergeCast = RewriteRule("mergeCast") { node, _ in
        guard case .elementwise(.cast(let outer)) = node.op, let inner = node.inputs.first,
              case .elementwise(.cast(let middle)) = inner.op,
              inner.inputs[0].type.dtype.widens(to: middle) else { return nil }
        return Build.cast(inner.inputs[0], to: outer, at: node.location)
    }

    // cast(x, dtype(x)) → x
    static let uselessCast = RewriteRule("uselessCast") { node, _ in
        guard case .elementwise(.cast(let dtype)) = node.op, node.inputs[0].type.dtype == dtype else { return nil }
        return node.inputs[0]
    }

    // reduce(x, axes: []) → x   (same dtype)
    static let uselessReduce = RewriteRule("uselessReduce") { node, _ in
        guard case .reduce(_, let axes, _) = node.op, axes.isEmpty, node.inputs[0].type == node.type else { return nil }
        return node.inputs[0]
    }

    // stopGradient(x) → x   (compiled graphs are not differentiated again)
    static let removeStopGradient = RewriteRule("removeStopGradient") { node, _ in
        guard case .stopGradient = node.op else { return nil }
        return node.inputs[0]
    }

    // dimension(x, i) → c   when x.shape[i] is the constant c
    static let dimensionConstant = RewriteRule("dimensionConstant") { node, _ in
        guard case .dimension(let axis) = node.op,
              let c = node.inputs[0].type.shape[axis].constantValue else { return nil }
        return Build.scalar(Double(c), dtype: .int64, at: node.location)
    }

    // dimension(x, i) → dimension(v, j)   for the input or shared variable v whose axis j has
    // x.shape[i]'s size (sums and products of such sizes are rebuilt from them); x is not computed
    static let dimensionFromInput = RewriteRule("dimensionFromInput") { node, context in
        guard case .dimension(let axis) = node.op else { return nil }
        let x = node.inputs[0], dim = x.type.shape[axis]
        if case .symbol(let s) = dim, let source = context.symbolSources[s], source.node === x, source.axis == axis {
            return nil
        }
        return sizeNode(dim, context, at: node.location)
    }

    /// An int64 scalar node computing `dim` from the dimensions of inputs and shared variables.
    private static func sizeNode(_ dim: Dim, _ context: RewriteContext, at loc: SourceLocation) -> Node? {
        switch dim {
        case .constant(let c): return Build.scalar(Double(c), dtype: .int64, at: loc)
        case .symbol(let s):
            guard let source = context.symbolSources[s] else { return nil }
            return Build.dimension(source.node, axis: source.axis, at: loc)
        case .sum(let a, let b), .product(let a, let b):
            guard let x = sizeNode(a, context, at: loc), let y = sizeNode(b, context, at: loc) else { return nil }
            if case .sum = dim { return Build.binary(.add, x, y, at: loc) }
            return Build.binary(.mul, x, y, at: loc)
        case .quotient, .maximum, .minimum:
            return nil
        }
    }
}

extension DType {
    /// True if every value of this dtype converts exactly to `other`.
    func widens(to other: DType) -> Bool {
        if self == other { return true }
        switch self {
        case .bool: return true
        case .uint8: return other != .bool
        case .int32: return other == .int64 || other == .float64
        case .float32: return other == .float64
        case .int64, .float64: return false
        }
    }
}
