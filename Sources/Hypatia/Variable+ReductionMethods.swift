import GraphIR
import TensorRuntime

/// Reductions as methods, Theano style: `cost.mean()`, `x.sum(axis: 1)`.
extension Variable {
    /// Sum over `axis` (nil: over all axes).
    public func sum(axis: Int? = nil, keepDims: Bool = false, file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.reduce(.sum, node, axes: reductionAxes(axis), keepDims: keepDims, at: here(file, line)))
    }

    /// Sum over `axes` (nil: over all axes).
    public func sum(axes: [Int]?, keepDims: Bool = false, file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.reduce(.sum, node, axes: axes, keepDims: keepDims, at: here(file, line)))
    }

    /// Mean over `axis` (nil: over all axes).
    public func mean(axis: Int? = nil, keepDims: Bool = false, file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.reduce(.mean, node, axes: reductionAxes(axis), keepDims: keepDims, at: here(file, line)))
    }

    /// Mean over `axes` (nil: over all axes).
    public func mean(axes: [Int]?, keepDims: Bool = false, file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.reduce(.mean, node, axes: axes, keepDims: keepDims, at: here(file, line)))
    }

    /// Maximum over `axis` (nil: over all axes).
    public func max(axis: Int? = nil, keepDims: Bool = false, file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.reduce(.max, node, axes: reductionAxes(axis), keepDims: keepDims, at: here(file, line)))
    }

    /// Maximum over `axes` (nil: over all axes).
    public func max(axes: [Int]?, keepDims: Bool = false, file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.reduce(.max, node, axes: axes, keepDims: keepDims, at: here(file, line)))
    }

    /// Minimum over `axis` (nil: over all axes).
    public func min(axis: Int? = nil, keepDims: Bool = false, file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.reduce(.min, node, axes: reductionAxes(axis), keepDims: keepDims, at: here(file, line)))
    }

    /// Minimum over `axes` (nil: over all axes).
    public func min(axes: [Int]?, keepDims: Bool = false, file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.reduce(.min, node, axes: axes, keepDims: keepDims, at: here(file, line)))
    }

    /// Product over `axis` (nil: over all axes).
    public func prod(axis: Int? = nil, keepDims: Bool = false, file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.reduce(.prod, node, axes: reductionAxes(axis), keepDims: keepDims, at: here(file, line)))
    }

    /// Product over `axes` (nil: over all axes).
    public func prod(axes: [Int]?, keepDims: Bool = false, file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.reduce(.prod, node, axes: axes, keepDims: keepDims, at: here(file, line)))
    }

    /// Index (int64) of the first maximum along `axis` (nil: of the flattened tensor).
    public func argmax(axis: Int? = nil, keepDims: Bool = false, file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.argmax(node, axis: axis, keepDims: keepDims, at: here(file, line)))
    }

    /// Index (int64) of the first minimum along `axis` (nil: of the flattened tensor).
    public func argmin(axis: Int? = nil, keepDims: Bool = false, file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.argmin(node, axis: axis, keepDims: keepDims, at: here(file, line)))
    }

    /// Variance `mean((x - mean(x))^2) * n / (n - ddof)` over `axis` (nil: all axes).
    public func variance(axis: Int? = nil, keepDims: Bool = false, ddof: Int = 0,
                     file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.variance(node, axes: reductionAxes(axis), keepDims: keepDims, ddof: ddof, at: here(file, line)))
    }

    /// Variance `mean((x - mean(x))^2) * n / (n - ddof)` over `axes` (nil: all axes).
    public func variance(axes: [Int]?, keepDims: Bool = false, ddof: Int = 0,
                     file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.variance(node, axes: axes, keepDims: keepDims, ddof: ddof, at: here(file, line)))
    }

    /// Standard deviation `sqrt(variance)` over `axis` (nil: all axes).
    public func std(axis: Int? = nil, keepDims: Bool = false, ddof: Int = 0,
                     file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.std(node, axes: reductionAxes(axis), keepDims: keepDims, ddof: ddof, at: here(file, line)))
    }

    /// Standard deviation `sqrt(variance)` over `axes` (nil: all axes).
    public func std(axes: [Int]?, keepDims: Bool = false, ddof: Int = 0,
                     file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.std(node, axes: axes, keepDims: keepDims, ddof: ddof, at: here(file, line)))
    }
}
