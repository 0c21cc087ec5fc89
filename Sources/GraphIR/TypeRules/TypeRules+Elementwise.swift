import TensorRuntime

/// How an elementwise op constrains its operands' dtypes and picks the result dtype.
package enum ElementwiseDTypeRule: Hashable, Sendable {
    /// One shared non-bool dtype, kept (add, neg, relu, ...).
    case arithmetic
    /// One shared float dtype, kept (div, exp, log, tanh, ...).
    case float
    /// One shared dtype; the result is bool.
    case comparison
    /// Bool operands, bool result.
    case logical
    /// (bool, T, T) → T.
    case select
    /// (T, T, T) → T.
    case clip
    /// Any dtype → the given one.
    case cast(DType)
}

extension ScalarOp {
    /// The dtype rule the op's type rule enforces (and `Build` promotes towards).
    package var dtypeRule: ElementwiseDTypeRule {
        switch self {
        case .add, .sub, .mul, .pow, .maximum, .minimum, .neg, .abs, .sign, .relu: return .arithmetic
        case .div, .exp, .log, .log1p, .expm1, .sqrt, .tanh, .sigmoid, .softplus, .erf: return .float
        case .eq, .neq, .lt, .le, .gt, .ge: return .comparison
        case .logicalAnd, .logicalOr, .logicalNot: return .logical
        case .select: return .select
        case .clip: return .clip
        case .cast(let dtype): return .cast(dtype)
        }
    }
}

extension TypeRule {
    /// Elementwise ops: matching arity, equal ranks, unifying dims, and the op's dtype rule.
    func elementwise(_ scalarOp: ScalarOp) throws(GraphError) -> TensorType {
        try arity(scalarOp.arity)
        var shape = inputs[0].shape
        for other in inputs.dropFirst() {
            shape = try unifyShapes(TensorType(inputs[0].dtype, shape), other)
        }
        return TensorType(try elementwiseDType(scalarOp.dtypeRule), shape)
    }

    /// The result dtype of an elementwise op under `rule`.
    private func elementwiseDType(_ rule: ElementwiseDTypeRule) throws(GraphError) -> DType {
        switch rule {
        case .arithmetic:
            let d = try sharedDType(inputs)
            guard d != .bool else { throw error(.dtype, "does not take bool operands: \(describe(inputs))") }
            return d
        case .float:
            let d = try sharedDType(inputs)
            guard d.isFloatingPoint else { throw error(.dtype, "needs float operands, got \(describe(inputs))") }
            return d
        case .comparison:
            _ = try sharedDType(inputs)
            return .bool
        case .logical:
            guard inputs.allSatisfy({ $0.dtype == .bool }) else {
                throw error(.dtype, "needs bool operands, got \(describe(inputs))")
            }
            return .bool
        case .select:
            guard inputs[0].dtype == .bool else {
                throw error(.dtype, "needs a bool condition, got \(inputs[0])")
            }
            return try sharedDType(Array(inputs.dropFirst()))
        case .clip:
            return try sharedDType(inputs)
        case .cast(let dtype):
            return dtype
        }
    }

    /// The one dtype all `types` share.
    func sharedDType(_ types: [TensorType]) throws(GraphError) -> DType {
        let d = types[0].dtype
        guard types.allSatisfy({ $0.dtype == d }) else {
            throw error(.dtype, "operands have different dtypes: \(describe(types))")
        }
        return d
    }

    /// `f32[3], i32[3]` for messages.
    func describe(_ types: [TensorType]) -> String {
        types.map(\.description).joined(separator: ", ")
    }

    /// `.broadcast(target)`: x repeated along missing leading axes and along its size-1 axes.
    func broadcast(to target: [Dim]) throws(GraphError) -> TensorType {
        try arity(1)
        try checkExtents(target)
        let x = inputs[0]
        let targetType = TensorType(x.dtype, target)
        guard x.rank <= target.count else {
            throw error(.shape, "cannot broadcast \(x) to \(targetType): rank \(x.rank) > \(target.count)")
        }
        let offset = target.count - x.rank
        for (i, d) in x.shape.enumerated() where !d.isOne {
            guard Dim.unify(d, target[offset + i]) != nil else {
                throw error(.shape, "cannot broadcast \(x) to \(targetType): \(d) != \(target[offset + i])")
            }
        }
        return targetType
    }
}
