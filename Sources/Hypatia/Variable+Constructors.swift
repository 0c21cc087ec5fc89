import GraphIR
import TensorRuntime

// MARK: - Symbolic inputs

/// A rank-0 symbolic input (`shape` may only be `[]`).
public func scalar(_ name: String = "", dtype: DType = .float32, shape: [Int?]? = nil,
                   file: String = #fileID, line: Int = #line) -> Variable {
    input(name, dtype: dtype, shape: shape, rank: 0, op: "scalar", at: here(file, line))
}

/// A rank-1 symbolic input; `shape` nil (or nil extents) means sizes known only at run time.
public func vector(_ name: String = "", dtype: DType = .float32, shape: [Int?]? = nil,
                   file: String = #fileID, line: Int = #line) -> Variable {
    input(name, dtype: dtype, shape: shape, rank: 1, op: "vector", at: here(file, line))
}

/// A rank-2 symbolic input, e.g. `matrix("x", shape: [nil, 784])`.
public func matrix(_ name: String = "", dtype: DType = .float32, shape: [Int?]? = nil,
                   file: String = #fileID, line: Int = #line) -> Variable {
    input(name, dtype: dtype, shape: shape, rank: 2, op: "matrix", at: here(file, line))
}

/// A rank-3 symbolic input.
public func tensor3(_ name: String = "", dtype: DType = .float32, shape: [Int?]? = nil,
                    file: String = #fileID, line: Int = #line) -> Variable {
    input(name, dtype: dtype, shape: shape, rank: 3, op: "tensor3", at: here(file, line))
}

/// A rank-4 symbolic input, e.g. a batch of images `[nil, 1, 28, 28]`.
public func tensor4(_ name: String = "", dtype: DType = .float32, shape: [Int?]? = nil,
                    file: String = #fileID, line: Int = #line) -> Variable {
    input(name, dtype: dtype, shape: shape, rank: 4, op: "tensor4", at: here(file, line))
}

/// A symbolic input of any rank; the rank is `shape.count`.
public func tensor(_ name: String = "", dtype: DType = .float32, shape: [Int?],
                   file: String = #fileID, line: Int = #line) -> Variable {
    input(name, dtype: dtype, shape: shape, rank: shape.count, op: "tensor", at: here(file, line))
}

/// An input node, or a variable recording the error if `shape` is inconsistent.
private func input(_ name: String, dtype: DType, shape: [Int?]?, rank: Int, op: String,
                   at loc: SourceLocation) -> Variable {
    let extents = shape ?? Array(repeating: nil, count: rank)
    if extents.count != rank {
        let error = GraphError(.argument, op: op, "shape \(describe(extents)) has rank \(extents.count), "
                               + "but \(op) needs rank \(rank)", at: loc)
        return failed(error, dtype: dtype, rank: rank, name: name, at: loc)
    }
    if let bad = extents.first(where: { ($0 ?? 0) < 0 }) {
        let error = GraphError(.argument, op: op, "negative extent \(bad!) in shape \(describe(extents))",
                               at: loc)
        return failed(error, dtype: dtype, rank: rank, name: name, at: loc)
    }
    return Variable(Build.input(name, dtype: dtype, shape: extents, at: loc))
}

/// A variable carrying `error`, typed with fresh symbolic dims of `rank`.
private func failed(_ error: GraphError, dtype: DType, rank: Int, name: String, at loc: SourceLocation) -> Variable {
    let dims = (0..<rank).map { Dim.symbol(.fresh(hint: "\(name)\($0)")) }
    return Variable(Node.failed(error, type: TensorType(dtype, dims), at: loc))
}

/// A shape with `?` for unknown extents, e.g. `[?, 784]`.
private func describe(_ shape: [Int?]) -> String {
    "[" + shape.map { $0.map(String.init) ?? "?" }.joined(separator: ", ") + "]"
}

// MARK: - Constants and shared variables

/// A constant tensor.
public func constant(_ value: Tensor, file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.constant(value, at: here(file, line)))
}

/// A rank-0 constant of the given dtype.
public func constant(_ value: Double, dtype: DType = .float32, file: String = #fileID,
                     line: Int = #line) -> Variable {
    Variable(Build.scalar(value, dtype: dtype, at: here(file, line)))
}

/// A shared variable holding `value`: its type is the value's dtype and (constant) shape.
public func shared(_ value: Tensor, name: String = "", file: String = #fileID, line: Int = #line) -> SharedVariable {
    let type = TensorType(value.dtype, value.shape.map { Dim.constant($0) })
    let storage = SharedStorage(name: name, type: type, value: value)
    return SharedVariable(storage: storage, node: Build.shared(storage, at: here(file, line)))
}
