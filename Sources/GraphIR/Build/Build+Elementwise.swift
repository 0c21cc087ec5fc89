import TensorRuntime

extension Build {
    /// A unary ScalarOp. Float-only math (exp, log, tanh, ...) casts integer/bool input to
    /// floatX first; neg/abs/sign/relu keep integer dtypes; logicalNot casts to bool.
    package static func unary(_ op: ScalarOp, _ x: Node, at loc: SourceLocation) -> Node {
        guard op.arity == 1 else { return failure(arityError(op, given: 1), [x], at: loc) }
        if case .cast(let dtype) = op { return cast(x, to: dtype, at: loc) }
        let dtype = operandDType(op, [x.type.dtype])
        return Node.make(.elementwise(op), [cast(x, to: dtype, at: loc)], at: loc)
    }

    /// A binary ScalarOp with numpy broadcasting and `DType.promoted` promotion. `div` of two
    /// integer operands gives floatX; comparisons give bool; and/or cast operands to bool.
    package static func binary(_ op: ScalarOp, _ a: Node, _ b: Node, at loc: SourceLocation) -> Node {
        guard op.arity == 2 else { return failure(arityError(op, given: 2), [a, b], at: loc) }
        let dtype = operandDType(op, [a.type.dtype, b.type.dtype])
        return elementwise(op, [a, b], dtypes: [dtype, dtype], at: loc)
    }

    /// `select(cond, a, b)`: cond cast to bool; a, b promoted; all three broadcast together.
    package static func select(_ cond: Node, _ a: Node, _ b: Node, at loc: SourceLocation) -> Node {
        let dtype = DType.promoted(a.type.dtype, b.type.dtype)
        return elementwise(.select, [cond, a, b], dtypes: [.bool, dtype, dtype], at: loc)
    }

    /// `clip(x, lo, hi)`: lo and hi cast to x's dtype (int64 for bool x) and broadcast with x
    /// like numpy (so scalar or smaller bounds take x's shape).
    package static func clip(_ x: Node, _ lo: Node, _ hi: Node, at loc: SourceLocation) -> Node {
        let dtype = operandDType(.clip, [x.type.dtype])
        return elementwise(.clip, [x, lo, hi], dtypes: [dtype, dtype, dtype], at: loc)
    }

    /// Converts dtype; returns x itself if it already has that dtype.
    package static func cast(_ x: Node, to dtype: DType, at loc: SourceLocation) -> Node {
        x.type.dtype == dtype ? x : Node.make(.elementwise(.cast(dtype)), [x], at: loc)
    }

    /// Broadcasts x to `shape` (numpy rules); returns x itself if its shape already is `shape`.
    package static func broadcast(_ x: Node, to shape: [Dim], at loc: SourceLocation) -> Node {
        x.type.shape == shape ? x : Node.make(.broadcast(shape), [x], at: loc)
    }

    /// The numpy broadcast of two shapes (a dim broadcasts only if it is the constant 1).
    package static func broadcastShape(_ a: [Dim], _ b: [Dim]) throws(GraphError) -> [Dim] {
        let (shape, conflict) = mergeBroadcast(a, b)
        if let (x, y) = conflict {
            throw GraphError(.shape, op: "broadcast",
                             "shapes \(describe(a)) and \(describe(b)) cannot be broadcast together: \(x) != \(y)")
        }
        return shape
    }

    /// The common broadcast shape of several operands; the error names all their types.
    static func broadcastShape(of types: [TensorType], op: String) throws(GraphError) -> [Dim] {
        var shape = types[0].shape
        for type in types.dropFirst() {
            let (merged, conflict) = mergeBroadcast(shape, type.shape)
            if let (x, y) = conflict {
                let names = types.map(\.description)
                let list = names.dropLast().joined(separator: ", ") + " and " + names.last!
                throw GraphError(.shape, op: op, "shapes \(list) cannot be broadcast together: \(x) != \(y)")
            }
            shape = merged
        }
        return shape
    }

    /// Trailing-aligned merge of two shapes; on failure, the first pair of clashing dims.
    private static func mergeBroadcast(_ a: [Dim], _ b: [Dim]) -> ([Dim], (Dim, Dim)?) {
        let rank = max(a.count, b.count)
        let pa = Array(repeating: Dim.constant(1), count: rank - a.count) + a
        let pb = Array(repeating: Dim.constant(1), count: rank - b.count) + b
        var shape: [Dim] = []
        for (x, y) in zip(pa, pb) {
            if x.isOne { shape.append(y); continue }
            if y.isOne { shape.append(x); continue }
            guard let d = Dim.unify(x, y) else { return (shape, (x, y)) }
            shape.append(d)
        }
        return (shape, nil)
    }

    /// Casts operands to `dtypes`, broadcasts them to their common shape and applies `op`.
    static func elementwise(_ op: ScalarOp, _ operands: [Node], dtypes: [DType], at loc: SourceLocation) -> Node {
        let shape: [Dim]
        do {
            shape = try broadcastShape(of: operands.map(\.type), op: op.name)
        } catch {
            return failure(error, operands, at: loc)
        }
        let prepared = zip(operands, dtypes).map { x, dtype in
            expand(cast(x, to: dtype, at: loc), to: shape, at: loc)
        }
        return Node.make(.elementwise(op), prepared, at: loc)
    }

    /// Broadcasts x to `shape` only where it must be repeated (missing or size-1 axes); dims
    /// that merely unify (`?n` against `5`) are left for the consuming op's type rule.
    static func expand(_ x: Node, to shape: [Dim], at loc: SourceLocation) -> Node {
        let offset = shape.count - x.type.rank
        guard offset >= 0 else { return broadcast(x, to: shape, at: loc) }   // the type rule reports it
        let repeats = offset > 0 || zip(x.type.shape, shape.dropFirst(offset)).contains { $0.isOne && !$1.isOne }
        return repeats ? broadcast(x, to: shape, at: loc) : x
    }

    /// The dtype operands of `op` are cast to, given theirs (the select condition aside).
    static func operandDType(_ op: ScalarOp, _ dtypes: [DType]) -> DType {
        let promoted = dtypes.dropFirst().reduce(dtypes[0], DType.promoted)
        switch op.dtypeRule {
        case .arithmetic, .clip: return promoted == .bool ? .int64 : promoted
        case .float: return promoted.isFloatingPoint ? promoted : DType.floatX
        case .comparison, .select: return promoted
        case .logical: return .bool
        case .cast(let dtype): return dtype
        }
    }

    /// The error for a ScalarOp given the wrong number of operands.
    private static func arityError(_ op: ScalarOp, given: Int) -> GraphError {
        GraphError(.argument, op: op.name, "takes \(op.arity) operand\(op.arity == 1 ? "" : "s"), got \(given)")
    }
}
