import TensorRuntime

/// The type rule of every op: the result type for given input types, or a typed error
/// (without location; `Node.make` adds the user's line).
package func inferType(_ op: Op, _ inputs: [TensorType]) throws(GraphError) -> TensorType {
    let rule = TypeRule(op: op.name, inputs: inputs)
    switch op {
    case .input(_, let type): return try rule.leaf(type)
    case .shared(let storage): return try rule.leaf(storage.type)
    case .constant(let value): return try rule.leaf(TensorType(value.dtype, value.shape.map { .constant($0) }))
    case .elementwise(let scalarOp): return try rule.elementwise(scalarOp)
    case .broadcast(let target): return try rule.broadcast(to: target)
    case .reduce(let reduction, let axes, let keepDims): return try rule.reduce(reduction, axes: axes, keepDims: keepDims)
    case .argmax(let axis, let keepDims), .argmin(let axis, let keepDims):
        return try rule.argIndex(axis: axis, keepDims: keepDims)
    case .dot: return try rule.dot()
    case .batchedDot: return try rule.batchedDot()
    case .gemm(let transA, let transB): return try rule.gemm(transA: transA, transB: transB)
    case .reshape(let dims): return try rule.reshape(dims)
    case .dimshuffle(let pattern): return try rule.dimshuffle(pattern)
    case .concatenate(let axis): return try rule.concatenate(axis: axis)
    case .slice(let specs): return try rule.slice(specs)
    case .advancedIndex: return try rule.advancedIndex()
    case .setSlice(let specs, _): return try rule.setSlice(specs)
    case .setAdvancedIndex: return try rule.setAdvancedIndex()
    case .arange(let dtype, let length): return try rule.arange(dtype, length: length)
    case .alloc(let dims): return try rule.alloc(dims)
    case .dimension(let axis): return try rule.dimension(axis: axis)
    case .softmax(let axis), .logSoftmax(let axis): return try rule.softmax(axis: axis)
    case .conv2d(let attrs): return try rule.conv2d(attrs)
    case .conv2dGradInput(let attrs): return try rule.conv2dGrad(attrs, filters: false)
    case .conv2dGradFilters(let attrs): return try rule.conv2dGrad(attrs, filters: true)
    case .pool2d(let attrs): return try rule.pool2d(attrs)
    case .pool2dGrad(let attrs): return try rule.pool2dGrad(attrs)
    case .pool2dGradGrad(let attrs): return try rule.pool2dGradGrad(attrs)
    case .im2col(let attrs): return try rule.im2col(attrs)
    case .col2im(let attrs, let image): return try rule.col2im(attrs, image: image)
    case .random(let attrs): return try rule.random(attrs)
    case .stopGradient: return try rule.identity()
    }
}

extension Op {
    /// The op's name in IR text and error messages (`add`, `dot`, `logSoftmax`, ...).
    package var name: String {
        switch self {
        case .input: return "input"
        case .shared: return "shared"
        case .constant: return "constant"
        case .elementwise(let scalarOp): return scalarOp.name
        case .broadcast: return "broadcast"
        case .reduce(let reduction, _, _): return reduction.rawValue
        case .argmax: return "argmax"
        case .argmin: return "argmin"
        case .dot: return "dot"
        case .batchedDot: return "batchedDot"
        case .gemm: return "gemm"
        case .reshape: return "reshape"
        case .dimshuffle: return "dimshuffle"
        case .concatenate: return "concatenate"
        case .slice: return "slice"
        case .advancedIndex: return "advancedIndex"
        case .setSlice: return "setSlice"
        case .setAdvancedIndex: return "setAdvancedIndex"
        case .arange: return "arange"
        case .alloc: return "alloc"
        case .dimension: return "dimension"
        case .softmax: return "softmax"
        case .logSoftmax: return "logSoftmax"
        case .conv2d: return "conv2d"
        case .conv2dGradInput: return "conv2dGradInput"
        case .conv2dGradFilters: return "conv2dGradFilters"
        case .pool2d: return "pool2d"
        case .pool2dGrad: return "pool2dGrad"
        case .pool2dGradGrad: return "pool2dGradGrad"
        case .im2col: return "im2col"
        case .col2im: return "col2im"
        case .random: return "random"
        case .stopGradient: return "stopGradient"
        }
    }
}

/// The input types of one op application, with the checks its type rule is built from.
struct TypeRule {
    /// The op's name, used in every error.
    let op: String
    let inputs: [TensorType]

    /// An error of `kind` attributed to the op.
    func error(_ kind: GraphError.Kind, _ message: String) -> GraphError {
        GraphError(kind, op: op, message)
    }

    /// Requires exactly `n` inputs.
    func arity(_ n: Int) throws(GraphError) {
        guard inputs.count == n else {
            throw error(.argument, "expects \(n) operand\(n == 1 ? "" : "s"), got \(inputs.count)")
        }
    }

    /// Requires at least `n` inputs.
    func arity(atLeast n: Int) throws(GraphError) {
        guard inputs.count >= n else {
            throw error(.argument, "expects at least \(n) operand\(n == 1 ? "" : "s"), got \(inputs.count)")
        }
    }

    /// Requires `axis` to be a valid (non-negative) axis of `type`.
    func checkAxis(_ axis: Int, of type: TensorType) throws(GraphError) {
        guard axis >= 0, axis < type.rank else {
            throw error(.argument, "axis \(axis) is out of range for \(type) (rank \(type.rank))")
        }
    }

    /// Requires every constant extent in `dims` to be non-negative.
    func checkExtents(_ dims: [Dim]) throws(GraphError) {
        if let bad = dims.first(where: { ($0.constantValue ?? 0) < 0 }) {
            throw error(.argument, "negative extent \(bad) in shape [\(dims.map(\.description).joined(separator: ","))]")
        }
    }

    /// Unifies the dims of two same-rank shapes, or explains why `a` and `b` do not `verb`.
    func unifyShapes(_ a: TensorType, _ b: TensorType, verb: String = "do not match") throws(GraphError) -> [Dim] {
        guard a.rank == b.rank else {
            throw error(.shape, "shapes \(a) and \(b) \(verb): ranks \(a.rank) and \(b.rank) differ")
        }
        var result: [Dim] = []
        for (x, y) in zip(a.shape, b.shape) {
            guard let d = Dim.unify(x, y) else { throw error(.shape, "shapes \(a) and \(b) \(verb): \(x) != \(y)") }
            result.append(d)
        }
        return result
    }

    /// The type of a leaf (no inputs).
    func leaf(_ type: TensorType) throws(GraphError) -> TensorType {
        try arity(0)
        return type
    }

    /// The type of an identity-like op (stopGradient).
    func identity() throws(GraphError) -> TensorType {
        try arity(1)
        return inputs[0]
    }
}
