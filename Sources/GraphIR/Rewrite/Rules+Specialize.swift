import TensorRuntime

/// Specialization rules: cheaper or library-backed forms of common patterns.
enum SpecializeRules {
    static let all: [RewriteRule] = [powSpecial, mulMinusOne, argmaxSoftmax, meanToSum, gemm]

    // pow(x, 2) → x·x,  pow(x, 0.5) → sqrt(x),  pow(x, 1) → x,  pow(x, -1) → 1/x
    static let powSpecial = RewriteRule("powSpecial") { node, context in
        guard let (x, e) = node.operands(of: .pow), node.type.dtype.isFloatingPoint,
              let exponent = e.uniformValue else { return nil }
        let b = RuleBuilder(node, context)
        switch exponent {
        case 2: return b.mul(x, x)
        case 0.5: return b.unary(.sqrt, x)
        case 1: return x
        case -1: return Node.make(.elementwise(.div), [b.fill(1, like: x), x], at: b.loc)
        default: return nil
        }
    }

    // x · -1 → neg(x),  -1 · x → neg(x)
    static let mulMinusOne = RewriteRule("mulMinusOne") { node, context in
        guard let (a, b) = node.operands(of: .mul), !node.type.dtype.isUnsigned else { return nil }
        let x = b.isUniform(-1) ? a : (a.isUniform(-1) ? b : nil)
        return x.map { RuleBuilder(node, context).neg($0) }
    }

    // argmax(softmax(x)) → argmax(x),  argmax(logSoftmax(x)) → argmax(x)   (same axis)
    static let argmaxSoftmax = RewriteRule("argmaxSoftmax") { node, _ in
        guard case .argmax(let axis, let keepDims) = node.op else { return nil }
        let p = node.inputs[0]
        if case .softmax(axis) = p.op {} else if case .logSoftmax(axis) = p.op {} else { return nil }
        return Node.make(.argmax(axis: axis, keepDims: keepDims), p.inputs, at: node.location)
    }

    // mean(x, axes) → sum(x, axes) · (1/n)   (n the number of reduced elements; ÷ n if symbolic)
    static let meanToSum = RewriteRule("meanToSum") { node, context in
        guard case .reduce(.mean, let axes, let keepDims) = node.op, let x = node.inputs.first,
              x.type.dtype.isFloatingPoint else { return nil }
        let b = RuleBuilder(node, context)
        let total = Node.make(.reduce(.sum, axes: axes, keepDims: keepDims), [x], at: b.loc)
        if let n = Dim.product(of: axes.map { x.type.shape[$0] }).constantValue {
            return b.withConstant(.mul, total, 1 / Double(n))
        }
        var count: Node?
        for axis in axes {
            let extent = Build.dimension(x, axis: axis, at: b.loc)
            count = count.map { b.mul($0, extent) } ?? extent
        }
        guard let count else { return nil }
        return b.div(total, Build.cast(count, to: x.type.dtype, at: b.loc))
    }
}
