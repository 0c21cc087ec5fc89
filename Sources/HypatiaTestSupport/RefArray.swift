import TensorRuntime

/// A float64 n-d array with the few numpy operations the tests use as references.
///
/// Deliberately naive and independent of Hypatia's interpreter: it is what the interpreter and
/// every backend are checked against.
public struct RefArray: Equatable, Sendable {
    public var shape: [Int]
    public var values: [Double]

    public init(shape: [Int], values: [Double]) {
        precondition(shape.reduce(1, *) == values.count, "RefArray: \(values.count) values for shape \(shape)")
        self.shape = shape
        self.values = values
    }

    /// The tensor's values as float64.
    public init(_ t: Tensor) { self.init(shape: t.shape, values: t.scalars) }

    /// A rank-0 array.
    public init(scalar: Double) { self.init(shape: [], values: [scalar]) }

    /// Converts to a Tensor of `dtype`.
    public func tensor(_ dtype: DType = .float64) -> Tensor {
        try! Tensor(shape: shape, values: values, dtype: dtype)
    }

    /// Row-major strides.
    public var strides: [Int] { Self.strides(shape) }

    static func strides(_ shape: [Int]) -> [Int] {
        var result = [Int](repeating: 1, count: shape.count)
        var s = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            result[i] = s
            s *= shape[i]
        }
        return result
    }

    /// The multi-index of flat position `i`.
    func index(of i: Int) -> [Int] {
        var rest = i
        return strides.map { s in
            defer { rest %= s }
            return rest / s
        }
    }

    /// Elementwise function of one array.
    public func map(_ f: (Double) -> Double) -> RefArray { RefArray(shape: shape, values: values.map(f)) }

    /// Elementwise function of several arrays with numpy broadcasting.
    public static func broadcasting(_ arrays: [RefArray], _ f: ([Double]) -> Double) -> RefArray {
        let rank = arrays.map(\.shape.count).max() ?? 0
        let padded = arrays.map { [Int](repeating: 1, count: rank - $0.shape.count) + $0.shape }
        let shape = (0..<rank).map { axis in padded.map { $0[axis] }.max() ?? 1 }
        let count = shape.reduce(1, *)
        let outStrides = strides(shape)
        let values = (0..<count).map { flat -> Double in
            let idx = outStrides.map { flat / $0 }.enumerated().map { $0.element % shape[$0.offset] }
            let operands = zip(arrays, padded).map { array, pshape -> Double in
                let s = strides(pshape)
                var offset = 0
                for axis in 0..<rank where pshape[axis] != 1 { offset += idx[axis] * s[axis] }
                return array.values[offset]
            }
            return f(operands)
        }
        return RefArray(shape: shape, values: values)
    }

    /// Reduces over `axes` (nil: all) with `combine` starting from `initial`.
    public func reduce(axes: [Int]?, keepDims: Bool = false, initial: Double,
                       _ combine: (Double, Double) -> Double) -> RefArray {
        let reduced = Set((axes ?? Array(0..<shape.count)).map { $0 < 0 ? $0 + shape.count : $0 })
        let outShape = shape.enumerated().map { reduced.contains($0.offset) ? 1 : $0.element }
        var out = [Double](repeating: initial, count: outShape.reduce(1, *))
        let outStrides = Self.strides(outShape)
        for i in 0..<values.count {
            let idx = index(of: i)
            var o = 0
            for axis in 0..<shape.count where !reduced.contains(axis) { o += idx[axis] * outStrides[axis] }
            out[o] = combine(out[o], values[i])
        }
        let finalShape = keepDims ? outShape : shape.enumerated().filter { !reduced.contains($0.offset) }.map(\.element)
        return RefArray(shape: finalShape, values: out)
    }

    /// Permutes axes.
    public func transposed(_ perm: [Int]) -> RefArray {
        let newShape = perm.map { shape[$0] }
        let s = strides
        let values = (0..<self.values.count).map { flat -> Double in
            let idx = RefArray(shape: newShape, values: [Double](repeating: 0, count: newShape.reduce(1, *)))
                .index(of: flat)
            var offset = 0
            for (k, axis) in perm.enumerated() { offset += idx[k] * s[axis] }
            return self.values[offset]
        }
        return RefArray(shape: newShape, values: values)
    }

    /// Matrix product of (m,k) and (k,n).
    public func matmul(_ other: RefArray) -> RefArray {
        let (m, k, n) = (shape[0], shape[1], other.shape[1])
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var acc = 0.0
                for p in 0..<k { acc += values[i * k + p] * other.values[p * n + j] }
                out[i * n + j] = acc
            }
        }
        return RefArray(shape: [m, n], values: out)
    }
}

/// Largest |a-b| / (atol + rtol*|b|) over two equal-length arrays; ≤ 1 means "close".
/// NaNs must match NaNs and infinities must match exactly.
public func closeness(_ a: [Double], _ b: [Double], rtol: Double, atol: Double) -> Double {
    guard a.count == b.count else { return .infinity }
    var worst = 0.0
    for (x, y) in zip(a, b) {
        if x.isNaN || y.isNaN {
            if x.isNaN != y.isNaN { return .infinity }
            continue
        }
        if x.isInfinite || y.isInfinite {
            if x != y { return .infinity }
            continue
        }
        worst = max(worst, abs(x - y) / (atol + rtol * abs(y)))
    }
    return worst
}
