import TensorRuntime

/// A value that can be passed to a compiled function: a `Tensor`, or a Swift number or Bool
/// (which becomes a rank-0 tensor of the input's dtype).
public protocol TensorConvertible {
    /// This value as a tensor for an input of `dtype`; nil if a Swift number cannot be
    /// represented exactly in an integer or bool dtype (e.g. 0.5 for an int32 input).
    /// A `Tensor` returns itself (its dtype is checked against the input's later).
    func tensor(as dtype: DType) -> Tensor?
}

extension Tensor: TensorConvertible {
    public func tensor(as dtype: DType) -> Tensor? { self }
}

extension Double: TensorConvertible {
    public func tensor(as dtype: DType) -> Tensor? {
        let result = Tensor(self, dtype: dtype)
        return dtype.isFloatingPoint || result.double(at: 0) == self ? result : nil
    }
}

extension Float: TensorConvertible {
    public func tensor(as dtype: DType) -> Tensor? { Double(self).tensor(as: dtype) }
}

extension Int: TensorConvertible {
    public func tensor(as dtype: DType) -> Tensor? {
        var result = Tensor(zeros: [], dtype: dtype)
        result.setInt64(Int64(self), at: 0)
        return dtype.isFloatingPoint || result.int64(at: 0) == Int64(self) ? result : nil
    }
}

extension Int32: TensorConvertible {
    public func tensor(as dtype: DType) -> Tensor? { Int(self).tensor(as: dtype) }
}

extension Bool: TensorConvertible {
    public func tensor(as dtype: DType) -> Tensor? { Tensor(self ? 1 : 0, dtype: dtype) }
}
