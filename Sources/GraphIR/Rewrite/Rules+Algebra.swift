import TensorRuntime

/// Canonicalization rules for constants and algebraic identities.
enum AlgebraRules {
    static let all: [RewriteRule] = [constantFold, negNeg, mulOne, addZero, subZero, zeroSub, divOne, subSelf,
                                     collectAddConstants, collectMulConstants]

    // f(c₁, …, cₙ) → c   (evaluated by the reference interpreter; never grows a constant)
    static let constantFold = RewriteRule("constantFold") { node, _ in
        if case .broadcast = node.op { return nil }   // fills stay symbolic
        guard node.op.passThrough != .fill, !node.inputs.isEmpty, node.inputs.allSatisfy(\.isConstant),
              let count = node.type.constantShape?.reduce(1, *) else { return nil }
        let values = node.inputs.map { input -> Tensor in
            guard case .constant(let value) = input.op else { preconditionFailure("checked constant") }
            return value
        }
        guard count <= max(64, values.map(\.count).max() ?? 0) else { return nil }
        var bindings: [DimSymbol: Int] = [:]
        guard let value = try? evaluate(node, values, bindings: &bindings) else { return nil }   // run time reports it
        return Build.constant(value, at: node.location)
    }

    // neg(neg(x)) → x
    static let negNeg = RewriteRule("negNeg") { node, _ in
        node.operand(of: .neg)?.operand(of: .neg)
    }

    // x * 1 → x,  1 * x → x
    static let mulOne = RewriteRule("mulOne") { node, _ in
        guard let (a, b) = node.operands(of: .mul) else { return nil }
        return b.isUniform(1) ? a : (a.isUniform(1) ? b : nil)
    }

    // x + 0 → x,  0 + x → x
    static let addZero = RewriteRule("addZero") { node, _ in
        guard let (a, b) = node.operands(of: .add) else { return nil }
        return b.isUniform(0) ? a : (a.isUniform(0) ? b : nil)
    }

    // x - 0 → x
    static let subZero = RewriteRule("subZero") { node, _ in
        guard let (a, b) = node.operands(of: .sub), b.isUniform(0) else { return nil }
        return a
    }

    // 0 - x → neg(x)
    static let zeroSub = RewriteRule("zeroSub") { node, context in
        guard let (a, b) = node.operands(of: .sub), a.isUniform(0), !b.type.dtype.isUnsigned else { return nil }
        return RuleBuilder(node, context).neg(b)
    }

    // x / 1 → x
    static let divOne = RewriteRule("divOne") { node, _ in
        guard let (a, b) = node.operands(of: .div), b.isUniform(1) else { return nil }
        return a
    }

    // x - x → 0
    static let subSelf = RewriteRule("subSelf") { node, context in
        guard let (a, b) = node.operands(of: .sub), a === b, !a.isConstant else { return nil }
        return RuleBuilder(node, context).fill(0, like: a)
    }

    // (x + c₁) + c₂ → x + (c₁ + c₂), with x - c read as x + (-c)
    static let collectAddConstants = RewriteRule("collectAddConstants") { node, context in
        collect(node, context, combine: .add)
    }

    // (x · c₁) · c₂ → x · (c₁ · c₂), with x / c read as x · (1/c)
    static let collectMulConstants = RewriteRule("collectMulConstants") { node, context in
        collect(node, context, combine: .mul)
    }

    /// Flattens an add (or mul) chain through single-use links, folds its scalar constants
    /// into one and rebuilds `t₁ op t₂ op … op C` (C dropped when it is the identity, and
    /// written `- |C|` for a negative sum). Applies only when the chain has two or more constants.
    private static func collect(_ node: Node, _ context: RewriteContext, combine: ScalarOp) -> Node? {
        guard node.scalarOp == combine || node.scalarOp == (combine == .add ? .sub : .div) else { return nil }
        var terms: [Node] = [], constants: [Double] = []
        flatten(node, combine: combine, context, root: true, &terms, &constants)
        guard constants.count >= 2, !terms.isEmpty else { return nil }
        let b = RuleBuilder(node, context)
        let total = combine == .add ? constants.reduce(0, +) : constants.reduce(1, *)
        let exact = Tensor(total, dtype: node.type.dtype).double(at: 0)
        var result = terms[0]
        for term in terms.dropFirst() { result = Node.make(.elementwise(combine), [result, term], at: b.loc) }
        let identity: Double = combine == .add ? 0 : 1
        if exact == identity { return result }
        if combine == .add, exact < 0, !node.type.dtype.isUnsigned { return b.withConstant(.sub, result, -exact) }
        return b.withConstant(combine, result, exact)
    }

    /// Collects the terms (factors) of `node` into `terms` and the values of its scalar
    /// constants into `constants`; inner links are followed only when used once.
    private static func flatten(_ node: Node, combine: ScalarOp, _ context: RewriteContext, root: Bool,
                                _ terms: inout [Node], _ constants: inout [Double]) {
        let inverse: ScalarOp = combine == .add ? .sub : .div
        if let v = node.uniformValue, !root {
            constants.append(v)
            return
        }
        let linked = root || (context.hasSingleUse(node) && node.inputs.count == 2)
        if linked, let (a, b) = node.operands(of: combine) {
            flatten(a, combine: combine, context, root: false, &terms, &constants)
            flatten(b, combine: combine, context, root: false, &terms, &constants)
        } else if linked, let (a, b) = node.operands(of: inverse), let v = b.uniformValue,
                  combine == .add || (node.type.dtype.isFloatingPoint && v != 0) {
            flatten(a, combine: combine, context, root: false, &terms, &constants)
            constants.append(combine == .add ? -v : 1 / v)
        } else {
            terms.append(node)
        }
    }
}

extension DType {
    /// True for unsigned integer dtypes (no negation).
    var isUnsigned: Bool { self == .uint8 || self == .bool }
}
