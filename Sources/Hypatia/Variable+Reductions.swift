import GraphIR
import TensorRuntime

/// Axes for `Build.reduce`: nil reduces over every axis.
func reductionAxes(_ axis: Int?) -> [Int]? { axis.map { [$0] } }

/// Sum over `axis` (nil: over all axes); `keepDims` keeps reduced axes with size 1.
public func sum(_ x: Variable, axis: Int? = nil, keepDims: Bool = false,
                 file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.reduce(.sum, x.node, axes: reductionAxes(axis), keepDims: keepDims, at: here(file, line)))
}

/// Sum over `axes` (nil: over all axes; negative axes count from the end).
public func sum(_ x: Variable, axes: [Int]?, keepDims: Bool = false,
                 file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.reduce(.sum, x.node, axes: axes, keepDims: keepDims, at: here(file, line)))
}

/// Mean over `axis` (nil: over all axes); `keepDims` keeps reduced axes with size 1.
public func mean(_ x: Variable, axis: Int? = nil, keepDims: Bool = false,
                 file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.reduce(.mean, x.node, axes: reductionAxes(axis), keepDims: keepDims, at: here(file, line)))
}

/// Mean over `axes` (nil: over all axes; negative axes count from the end).
public func mean(_ x: Variable, axes: [Int]?, keepDims: Bool = false,
                 file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.reduce(.mean, x.node, axes: axes, keepDims: keepDims, at: here(file, line)))
}

/// Maximum over `axis` (nil: over all axes); `keepDims` keeps reduced axes with size 1.
public func max(_ x: Variable, axis: Int? = nil, keepDims: Bool = false,
                 file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.reduce(.max, x.node, axes: reductionAxes(axis), keepDims: keepDims, at: here(file, line)))
}

/// Maximum over `axes` (nil: over all axes; negative axes count from the end).
public func max(_ x: Variable, axes: [Int]?, keepDims: Bool = false,
                 file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.reduce(.max, x.node, axes: axes, keepDims: keepDims, at: here(file, line)))
}

/// Minimum over `axis` (nil: over all axes); `keepDims` keeps reduced axes with size 1.
public func min(_ x: Variable, axis: Int? = nil, keepDims: Bool = false,
                 file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.reduce(.min, x.node, axes: reductionAxes(axis), keepDims: keepDims, at: here(file, line)))
}

/// Minimum over `axes` (nil: over all axes; negative axes count from the end).
public func min(_ x: Variable, axes: [Int]?, keepDims: Bool = false,
                 file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.reduce(.min, x.node, axes: axes, keepDims: keepDims, at: here(file, line)))
}

/// Product over `axis` (nil: over all axes); `keepDims` keeps reduced axes with size 1.
public func prod(_ x: Variable, axis: Int? = nil, keepDims: Bool = false,
                 file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.reduce(.prod, x.node, axes: reductionAxes(axis), keepDims: keepDims, at: here(file, line)))
}

/// Product over `axes` (nil: over all axes; negative axes count from the end).
public func prod(_ x: Variable, axes: [Int]?, keepDims: Bool = false,
                 file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.reduce(.prod, x.node, axes: axes, keepDims: keepDims, at: here(file, line)))
}

/// Index (int64) of the first maximum along `axis` (nil: of the flattened tensor).
public func argmax(_ x: Variable, axis: Int? = nil, keepDims: Bool = false,
                   file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.argmax(x.node, axis: axis, keepDims: keepDims, at: here(file, line)))
}

/// Index (int64) of the first minimum along `axis` (nil: of the flattened tensor).
public func argmin(_ x: Variable, axis: Int? = nil, keepDims: Bool = false,
                   file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.argmin(x.node, axis: axis, keepDims: keepDims, at: here(file, line)))
}

/// Variance `mean((x - mean(x))^2) * n / (n - ddof)` over `axis` (nil: all axes).
public func variance(_ x: Variable, axis: Int? = nil, keepDims: Bool = false, ddof: Int = 0,
                 file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.variance(x.node, axes: reductionAxes(axis), keepDims: keepDims, ddof: ddof, at: here(file, line)))
}

/// Variance `mean((x - mean(x))^2) * n / (n - ddof)` over `axes` (nil: all axes).
public func variance(_ x: Variable, axes: [Int]?, keepDims: Bool = false, ddof: Int = 0,
                 file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.variance(x.node, axes: axes, keepDims: keepDims, ddof: ddof, at: here(file, line)))
}

/// Standard deviation `sqrt(variance)` over `axis` (nil: all axes).
public func std(_ x: Variable, axis: Int? = nil, keepDims: Bool = false, ddof: Int = 0,
                 file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.std(x.node, axes: reductionAxes(axis), keepDims: keepDims, ddof: ddof, at: here(file, line)))
}

/// Standard deviation `sqrt(variance)` over `axes` (nil: all axes).
public func std(_ x: Variable, axes: [Int]?, keepDims: Bool = false, ddof: Int = 0,
                 file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.std(x.node, axes: axes, keepDims: keepDims, ddof: ddof, at: here(file, line)))
}
