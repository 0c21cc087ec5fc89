import GraphIR
import TensorRuntime

/// The int64 vector `[0, 1, ..., n-1]`.
public func arange(_ n: Int, file: String = #fileID, line: Int = #line) -> Variable {
    arange(start: 0, stop: n, step: 1, file: file, line: line)
}

/// The vector `[0, 1, ..., stop-1]` of `stop`'s dtype, e.g. `arange(x.shape[0])`.
public func arange(_ stop: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    let loc = here(file, line)
    let dtype = stop.dtype
    let start = Build.scalar(0, dtype: dtype, at: loc), step = Build.scalar(1, dtype: dtype, at: loc)
    return Variable(Build.arange(start, stop.node, step, dtype: nil, at: loc))
}

/// The int64 vector `start, start+step, ...` up to (excluding) `stop`; `step` must not be 0.
public func arange(start: Int, stop: Int, step: Int = 1, file: String = #fileID, line: Int = #line) -> Variable {
    let loc = here(file, line)
    let bounds = [start, stop, step].map { Build.scalar(Double($0), dtype: .int64, at: loc) }
    guard step != 0 else {
        let error = GraphError(.argument, op: "arange", "step must not be 0", at: loc)
        return Variable(Node.failed(error, type: TensorType(.int64, [0]), inputs: bounds, at: loc))
    }
    return Variable(Build.arange(bounds[0], bounds[1], bounds[2], dtype: .int64, at: loc))
}

/// `start, start+step, ...` up to (excluding) `stop`, from scalar variables (promoted dtype).
public func arange(start: Variable, stop: Variable, step: Variable, file: String = #fileID,
                   line: Int = #line) -> Variable {
    Variable(Build.arange(start.node, stop.node, step.node, dtype: nil, at: here(file, line)))
}

/// A tensor of zeros with a constant shape.
public func zeros(_ shape: [Int], dtype: DType = .float32, file: String = #fileID, line: Int = #line) -> Variable {
    filled(0, shape: shape, dtype: dtype, op: "zeros", at: here(file, line))
}

/// A tensor of ones with a constant shape.
public func ones(_ shape: [Int], dtype: DType = .float32, file: String = #fileID, line: Int = #line) -> Variable {
    filled(1, shape: shape, dtype: dtype, op: "ones", at: here(file, line))
}

/// `value` broadcast to a constant shape (an alloc node, not a materialised constant).
private func filled(_ value: Double, shape: [Int], dtype: DType, op: String, at loc: SourceLocation) -> Variable {
    let scalar = Build.scalar(value, dtype: dtype, at: loc)
    guard shape.allSatisfy({ $0 >= 0 }) else {
        let error = GraphError(.argument, op: op, "negative extent in shape \(shape)", at: loc)
        return Variable(Node.failed(error, type: TensorType(dtype, shape.map { Dim.constant(Swift.max($0, 0)) }),
                                    at: loc))
    }
    let dims = shape.map { Build.scalar(Double($0), dtype: .int64, at: loc) }
    return Variable(Build.alloc(scalar, dims: dims, at: loc))
}

/// Zeros shaped and typed like x.
public func zerosLike(_ x: Variable, dtype: DType? = nil, file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.fill(like: x.node, value: 0, dtype: dtype, at: here(file, line)))
}

/// Ones shaped and typed like x.
public func onesLike(_ x: Variable, dtype: DType? = nil, file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.fill(like: x.node, value: 1, dtype: dtype, at: here(file, line)))
}

/// A tensor shaped like x filled with `value` (x's dtype unless `dtype` is given).
public func fill(like x: Variable, value: Double, dtype: DType? = nil, file: String = #fileID,
                 line: Int = #line) -> Variable {
    Variable(Build.fill(like: x.node, value: value, dtype: dtype, at: here(file, line)))
}

/// A scalar `value` broadcast to the run-time extents `dims` (int scalar variables), e.g.
/// `alloc(zero, dims: [x.shape[0], constant(10, dtype: .int64)])`.
public func alloc(_ value: Variable, dims: [Variable], file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.alloc(value.node, dims: dims.map(\.node), at: here(file, line)))
}

/// The number `value` (of `dtype`) broadcast to the run-time extents `dims`.
public func alloc(_ value: Double, dims: [Variable], dtype: DType = .float32, file: String = #fileID,
                  line: Int = #line) -> Variable {
    let loc = here(file, line)
    return Variable(Build.alloc(Build.scalar(value, dtype: dtype, at: loc), dims: dims.map(\.node), at: loc))
}
