import TensorRuntime

extension Build {
    /// Reduces over `axes` (nil: all; negative axes count from the end; duplicates are an error).
    package static func reduce(_ r: Reduction, _ x: Node, axes: [Int]?, keepDims: Bool,
                               at loc: SourceLocation) -> Node {
        do {
            let normalized = try normalizeAxes(axes, of: x.type, op: r.rawValue)
            return Node.make(.reduce(r, axes: normalized, keepDims: keepDims), [x], at: loc)
        } catch {
            return failure(error, [x], at: loc)
        }
    }

    /// Index of the first maximum along `axis` (nil: of the flattened tensor), int64.
    package static func argmax(_ x: Node, axis: Int?, keepDims: Bool, at loc: SourceLocation) -> Node {
        argIndex(x, axis: axis, keepDims: keepDims, isMax: true, at: loc)
    }

    /// Index of the first minimum along `axis` (nil: of the flattened tensor), int64.
    package static func argmin(_ x: Node, axis: Int?, keepDims: Bool, at loc: SourceLocation) -> Node {
        argIndex(x, axis: axis, keepDims: keepDims, isMax: false, at: loc)
    }

    /// argmax/argmin; with no axis, of the flattened tensor (keepDims then gives all-1 dims).
    private static func argIndex(_ x: Node, axis: Int?, keepDims: Bool, isMax: Bool,
                                 at loc: SourceLocation) -> Node {
        let make = { (axis: Int, keep: Bool, input: Node) -> Node in
            Node.make(isMax ? .argmax(axis: axis, keepDims: keep) : .argmin(axis: axis, keepDims: keep), [input], at: loc)
        }
        guard let axis else {
            let flat = make(0, false, flatten(x, outdim: 1, at: loc))
            return keepDims ? reshape(flat, dims: Array(repeating: 1, count: x.type.rank), at: loc) : flat
        }
        do {
            return make(try normalizeAxis(axis, of: x.type, op: isMax ? "argmax" : "argmin"), keepDims, x)
        } catch {
            return failure(error, [x], at: loc)
        }
    }

    /// Variance `mean((x - mean(x))^2) * n/(n-ddof)` over `axes` (composite).
    package static func variance(_ x: Node, axes: [Int]?, keepDims: Bool, ddof: Int,
                                 at loc: SourceLocation) -> Node {
        let given = axes, axes: [Int]
        do { axes = try normalizeAxes(given, of: x.type, op: "variance") } catch { return failure(error, [x], at: loc) }
        let xf = x.type.dtype.isFloatingPoint ? x : cast(x, to: DType.floatX, at: loc)
        let centered = binary(.sub, xf, reduce(.mean, xf, axes: axes, keepDims: true, at: loc), at: loc)
        let v = reduce(.mean, binary(.mul, centered, centered, at: loc), axes: axes, keepDims: keepDims, at: loc)
        guard ddof != 0 else { return v }
        let dtype = xf.type.dtype
        if let n = Dim.product(of: axes.map { x.type.shape[$0] }).constantValue {
            return binary(.mul, v, scalar(Double(n) / Double(n - ddof), dtype: dtype, at: loc), at: loc)
        }
        let n = axes.map { dimension(x, axis: $0, at: loc) }.dropFirst()
            .reduce(dimension(x, axis: axes[0], at: loc)) { binary(.mul, $0, $1, at: loc) }
        let nf = cast(n, to: dtype, at: loc)
        let factor = binary(.div, nf, binary(.sub, nf, scalar(Double(ddof), dtype: dtype, at: loc), at: loc), at: loc)
        return binary(.mul, v, factor, at: loc)
    }

    /// Standard deviation: `sqrt(variance)` (composite).
    package static func std(_ x: Node, axes: [Int]?, keepDims: Bool, ddof: Int,
                            at loc: SourceLocation) -> Node {
        unary(.sqrt, variance(x, axes: axes, keepDims: keepDims, ddof: ddof, at: loc), at: loc)
    }

    /// Axes made non-negative and sorted (nil: all); out-of-range or repeated axes throw.
    static func normalizeAxes(_ axes: [Int]?, of type: TensorType, op: String) throws(GraphError) -> [Int] {
        guard let axes else { return Array(0..<type.rank) }
        var result: [Int] = []
        for axis in axes {
            let a = try normalizeAxis(axis, of: type, op: op)
            guard !result.contains(a) else {
                throw GraphError(.argument, op: op, "axis \(axis) is listed twice in \(axes) for \(type)")
            }
            result.append(a)
        }
        return result.sorted()
    }

    /// `axis` made non-negative (counting from the end); out of range throws.
    static func normalizeAxis(_ axis: Int, of type: TensorType, op: String) throws(GraphError) -> Int {
        let a = axis < 0 ? axis + type.rank : axis
        guard a >= 0, a < type.rank else {
            throw GraphError(.argument, op: op, "axis \(axis) is out of range for \(type) (rank \(type.rank))")
        }
        return a
    }
}
