import GraphIR
import TensorRuntime

/// Elementwise choice `cond ? a : b` (numpy's `where`, Theano's `switch`); all three broadcast.
public func select(_ cond: Variable, _ a: Variable, _ b: Variable,
                   file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.select(cond.node, a.node, b.node, at: here(file, line)))
}

/// Elementwise `cond ? a : b` with a number for the false branch (typed like `a`).
public func select(_ cond: Variable, _ a: Variable, _ b: Double,
                   file: String = #fileID, line: Int = #line) -> Variable {
    let loc = here(file, line)
    return Variable(Build.select(cond.node, a.node, weakScalar(b, like: a.node, at: loc), at: loc))
}

/// Elementwise `cond ? a : b` with a number for the true branch (typed like `b`).
public func select(_ cond: Variable, _ a: Double, _ b: Variable,
                   file: String = #fileID, line: Int = #line) -> Variable {
    let loc = here(file, line)
    return Variable(Build.select(cond.node, weakScalar(a, like: b.node, at: loc), b.node, at: loc))
}

/// Elementwise clamp of x into [lo, hi] (bounds cast to x's dtype and broadcast).
public func clip(_ x: Variable, _ lo: Variable, _ hi: Variable,
                 file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.clip(x.node, lo.node, hi.node, at: here(file, line)))
}

/// Elementwise clamp of x into [lo, hi].
public func clip(_ x: Variable, _ lo: Double, _ hi: Double,
                 file: String = #fileID, line: Int = #line) -> Variable {
    let loc = here(file, line)
    let dtype = x.dtype
    return Variable(Build.clip(x.node, Build.scalar(lo, dtype: dtype, at: loc),
                               Build.scalar(hi, dtype: dtype, at: loc), at: loc))
}

/// Converts x to `dtype` (x itself if it already has it).
public func cast(_ x: Variable, to dtype: DType, file: String = #fileID, line: Int = #line) -> Variable {
    x.cast(to: dtype, file: file, line: line)
}

extension Variable {
    /// This variable converted to `dtype` (itself if it already has it).
    public func cast(to dtype: DType, file: String = #fileID, line: Int = #line) -> Variable {
        let result = Build.cast(node, to: dtype, at: here(file, line))
        return result === node ? self : Variable(result)
    }
}
