import TensorRuntime

/// Numerical-stability rules: forms that overflow, underflow or cancel, replaced by stable
/// primitives or max-shifted composites.
enum StabilizeRules {
    static let all: [RewriteRule] = [logSoftmax, crossentropySoftmax1Hot, expLogSoftmax, logSigmoid,
                                     logOneMinusSigmoid, softplus, log1p, expm1, sigmoid, logSumExp]

    // log(softmax(x)) → logSoftmax(x), also through views: log(v(softmax(x))) → v(logSoftmax(x))
    // for v a slice, dimshuffle or reshape
    static let logSoftmax = RewriteRule("logSoftmax") { node, _ in
        guard let p = node.operand(of: .log) else { return nil }
        if case .advancedIndex = p.op { return nil }   // crossentropySoftmax1Hot
        return viewOfLogSoftmax(p, at: node.location)
    }

    // -log(softmax(x)[i, y]) → -logSoftmax(x)[i, y]   (softmax + categorical cross-entropy with
    // integer labels; its gradient becomes onehot·g - softmax(x)·Σ onehot·g, with no division)
    static let crossentropySoftmax1Hot = RewriteRule("crossentropySoftmax1Hot") { node, _ in
        guard let p = node.operand(of: .log), case .advancedIndex = p.op else { return nil }
        return viewOfLogSoftmax(p, at: node.location)
    }

    /// `v(logSoftmax(x))` for `p = v(softmax(x))` with v a chain of views or selections.
    private static func viewOfLogSoftmax(_ p: Node, at loc: SourceLocation) -> Node? {
        if case .softmax(let axis) = p.op { return Node.make(.logSoftmax(axis: axis), p.inputs, at: loc) }
        guard p.op.passThrough == .view || p.op.passThrough == .selection,
              let inner = viewOfLogSoftmax(p.inputs[0], at: loc) else { return nil }
        return Node.make(p.op, [inner] + p.inputs.dropFirst(), at: loc)
    }

    // exp(logSoftmax(x)) → softmax(x)
    static let expLogSoftmax = RewriteRule("expLogSoftmax") { node, _ in
        guard let y = node.operand(of: .exp), case .logSoftmax(let axis) = y.op else { return nil }
        return Node.make(.softmax(axis: axis), y.inputs, at: node.location)
    }

    // log(sigmoid(x)) → -softplus(-x)
    static let logSigmoid = RewriteRule("logSigmoid") { node, context in
        guard let x = node.operand(of: .log)?.operand(of: .sigmoid) else { return nil }
        let b = RuleBuilder(node, context)
        return b.neg(b.unary(.softplus, b.neg(x)))
    }

    // log(1 - sigmoid(x)) → -softplus(x),  log1p(-sigmoid(x)) → -softplus(x)
    static let logOneMinusSigmoid = RewriteRule("logOneMinusSigmoid") { node, context in
        let x: Node?
        if let (one, s) = node.operand(of: .log)?.operands(of: .sub), one.isUniform(1) {
            x = s.operand(of: .sigmoid)
        } else {
            x = node.operand(of: .log1p)?.operand(of: .neg)?.operand(of: .sigmoid)
        }
        guard let x else { return nil }
        let b = RuleBuilder(node, context)
        return b.neg(b.unary(.softplus, x))
    }

    // log1p(exp(x)) → softplus(x),  log(1 + exp(x)) → softplus(x)
    static let softplus = RewriteRule("softplus") { node, context in
        var x = node.operand(of: .log1p)?.operand(of: .exp)
        if x == nil, let (p, q) = node.operand(of: .log)?.operands(of: .add) {
            x = q.isUniform(1) ? p.operand(of: .exp) : (p.isUniform(1) ? q.operand(of: .exp) : nil)
        }
        guard let x else { return nil }
        return RuleBuilder(node, context).unary(.softplus, x)
    }

    // log(1 + x) → log1p(x),  log(x + 1) → log1p(x),  log(1 - x) → log1p(-x)
    static let log1p = RewriteRule("log1p") { node, context in
        guard let arg = node.operand(of: .log) else { return nil }
        let b = RuleBuilder(node, context)
        if let (p, q) = arg.operands(of: .add) {
            if q.isUniform(1) { return b.unary(.log1p, p) }
            if p.isUniform(1) { return b.unary(.log1p, q) }
        }
        if let (p, q) = arg.operands(of: .sub), p.isUniform(1) { return b.unary(.log1p, b.neg(q)) }
        return nil
    }

    // exp(x) - 1 → expm1(x),  exp(x) + (-1) → expm1(x)
    static let expm1 = RewriteRule("expm1") { node, context in
        var x: Node?
        if let (e, one) = node.operands(of: .sub), one.isUniform(1) { x = e.operand(of: .exp) }
        if let (p, q) = node.operands(of: .add) {
            x = q.isUniform(-1) ? p.operand(of: .exp) : (p.isUniform(-1) ? q.operand(of: .exp) : nil)
        }
        guard let x else { return nil }
        return RuleBuilder(node, context).unary(.expm1, x)
    }

    // exp(x) / (1 + exp(x)) → sigmoid(x),  1 / (1 + exp(-x)) → sigmoid(x)
    static let sigmoid = RewriteRule("sigmoid") { node, context in
        guard let (numerator, denominator) = node.operands(of: .div),
              let (p, q) = denominator.operands(of: .add) else { return nil }
        let e = p.isUniform(1) ? q : (q.isUniform(1) ? p : nil)
        guard let e, let x = e.operand(of: .exp) else { return nil }
        let b = RuleBuilder(node, context)
        if numerator === e { return b.unary(.sigmoid, x) }
        if numerator.isUniform(1), let y = x.operand(of: .neg) { return b.unary(.sigmoid, y) }
        return nil
    }

    // log(sum(exp(x), axes)) → m + log(sum(exp(x - m), axes))   with m = max(x, axes) held
    // constant (0 where it is infinite)
    static let logSumExp = RewriteRule("logSumExp") { node, context in
        guard let total = node.operand(of: .log), case .reduce(.sum, let axes, let keepDims) = total.op,
              let x = total.inputs[0].operand(of: .exp), !axes.isEmpty, !isMaxShifted(x) else { return nil }
        let b = RuleBuilder(node, context)
        let peak = Build.reduce(.max, x, axes: axes, keepDims: true, at: b.loc)
        let infinite = b.binary(.eq, b.unary(.abs, peak), b.scalar(.infinity, x.type.dtype))
        let m = Build.stopGradient(Build.select(infinite, b.scalar(0, x.type.dtype), peak, at: b.loc), at: b.loc)
        let shifted = Build.reduce(.sum, b.unary(.exp, b.sub(x, m)), axes: axes, keepDims: keepDims, at: b.loc)
        let kept = (0..<x.type.rank).filter { !axes.contains($0) }
        let offset = keepDims ? m : Build.dimshuffle(m, kept.map { $0 }, at: b.loc)
        return b.add(b.unary(.log, shifted), offset)
    }

    /// True for `y - m` with m (broadcast, held constant) the max of y or the logSumExp guard
    /// `select(|max(y)| = ∞, 0, max(y))`: an already shifted log-sum-exp argument.
    private static func isMaxShifted(_ x: Node) -> Bool {
        guard let (y, shift) = x.operands(of: .sub) else { return false }
        var m = shift
        while true {
            if case .reduce(.max, _, _) = m.op { return m.inputs[0] === y }
            if m.op.passThrough == .view {
                m = m.inputs[0]
            } else if case .stopGradient = m.op {
                m = m.inputs[0]
            } else if m.isElementwise(.select) {
                m = m.inputs[2]
            } else {
                return false
            }
        }
    }
}
