import TensorRuntime

/// Applies a ScalarOp to same-shaped operands in the lane of the operands' dtype (for
/// `select`, of the value operands), storing into the node's dtype.
func evaluateElementwise(_ node: Node, _ op: ScalarOp, _ x: [Tensor]) throws(GraphError) -> Tensor {
    precondition(x.count == op.arity, "\(op.name) takes \(op.arity) operands, got \(x.count)")
    for other in x.dropFirst() where other.shape != x[0].shape {
        throw node.evaluationError(.shape, "operands have different run-time shapes "
                                   + "\(ShapeBinding.describe(x[0].shape)) and \(ShapeBinding.describe(other.shape))")
    }
    let laneType = op == .select ? x[1].dtype : x[0].dtype
    let dtype = node.type.dtype
    if laneType == .float32, dtype == .float32, x.allSatisfy({ $0.dtype == .float32 }) {
        return float32Elementwise(op, x)
    }
    if laneType.isFloatingPoint {
        let result = applyLane(ScalarMath.double(op), x.map { $0.doubleLane() })
        return Tensor(doubleLane: result, shape: x[0].shape, dtype: dtype)
    }
    let result = applyLane(ScalarMath.int64(op), x.map { $0.int64Lane() })
    return Tensor(int64Lane: result, shape: x[0].shape, dtype: dtype)
}

/// Applies a lane function elementwise to equally long operand arrays.
private func applyLane<T>(_ function: LaneFunction<T>, _ x: [[T]]) -> [T] {
    switch function {
    case .unary(let f):
        return x[0].map(f)
    case .binary(let f):
        let a = x[0], b = x[1]
        return a.indices.map { f(a[$0], b[$0]) }
    case .ternary(let f):
        let a = x[0], b = x[1], c = x[2]
        return a.indices.map { f(a[$0], b[$0], c[$0]) }
    }
}

/// The float32 → float32 fast path: typed loops; + - * / directly in Float (correctly rounded,
/// so identical to computing in Double and rounding), everything else through Double.
private func float32Elementwise(_ op: ScalarOp, _ x: [Tensor]) -> Tensor {
    var out = Tensor(zeros: x[0].shape, dtype: .float32)
    let n = out.count
    out.withUnsafeMutableBufferPointer(as: Float.self) { o in
        x[0].withUnsafeBufferPointer(as: Float.self) { a in
            if x.count == 1 {
                guard case .unary(let f) = ScalarMath.double(op) else { preconditionFailure("arity") }
                for i in 0..<n { o[i] = Float(f(Double(a[i]))) }
                return
            }
            x[1].withUnsafeBufferPointer(as: Float.self) { b in
                if x.count == 2 { return float32Binary(op, a, b, o) }
                x[2].withUnsafeBufferPointer(as: Float.self) { c in
                    guard case .ternary(let f) = ScalarMath.double(op) else { preconditionFailure("arity") }
                    for i in 0..<n { o[i] = Float(f(Double(a[i]), Double(b[i]), Double(c[i]))) }
                }
            }
        }
    }
    return out
}

/// A binary float32 op into `o`.
private func float32Binary(_ op: ScalarOp, _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>,
                           _ o: UnsafeMutableBufferPointer<Float>) {
    let n = o.count
    switch op {
    case .add: for i in 0..<n { o[i] = a[i] + b[i] }
    case .sub: for i in 0..<n { o[i] = a[i] - b[i] }
    case .mul: for i in 0..<n { o[i] = a[i] * b[i] }
    case .div: for i in 0..<n { o[i] = a[i] / b[i] }
    case .pow, .maximum, .minimum, .eq, .neq, .lt, .le, .gt, .ge, .logicalAnd, .logicalOr,
         .neg, .exp, .log, .log1p, .expm1, .sqrt, .abs, .sign, .tanh, .sigmoid, .softplus, .relu, .erf,
         .logicalNot, .cast, .select, .clip:
        guard case .binary(let f) = ScalarMath.double(op) else { preconditionFailure("\(op.name) is not binary") }
        for i in 0..<n { o[i] = Float(f(Double(a[i]), Double(b[i]))) }
    }
}

/// Repeats x along missing and static size-1 axes to the target dims (numpy alignment at
/// the trailing axes). Axes of x that are not statically 1 keep x's run-time extent (the
/// result check compares it with the target dim).
func evaluateBroadcast(_ node: Node, _ dims: [Dim], _ x: Tensor,
                       _ bindings: [DimSymbol: Int]) throws(GraphError) -> Tensor {
    let staticShape = node.inputs[0].type.shape
    let lead = dims.count - x.rank
    guard lead >= 0 else {
        throw node.evaluationError(.shape, "cannot broadcast \(ShapeBinding.describe(x.shape)) to fewer axes \(dims)")
    }
    let xStrides = rowMajorStrides(x.shape)
    var shape: [Int] = [], strides: [Int] = []
    for (axis, dim) in dims.enumerated() {
        let j = axis - lead
        if j >= 0, !staticShape[j].isOne {
            shape.append(x.shape[j])
            strides.append(xStrides[j])
            continue
        }
        guard let extent = dim.evaluate(bindings), extent >= 0 else {
            throw node.evaluationError(.shape, "target extent \(dim) of axis \(axis) is not known at run time")
        }
        if j >= 0, x.shape[j] != 1 {
            throw node.evaluationError(.shape, "axis \(j) of \(ShapeBinding.describe(x.shape)) must be 1 to broadcast")
        }
        shape.append(extent)
        strides.append(0)
    }
    if shape == x.shape { return x }
    return x.gathered(StridedView(offset: 0, shape: shape, strides: strides))
}
