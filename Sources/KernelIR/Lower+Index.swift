import GraphIR
import TensorRuntime

/// int64 index arithmetic on `KExpr` with constant folding and the identities 0+x, 1*x, 0*x.
enum IndexMath {
    static func add(_ a: KExpr, _ b: KExpr) -> KExpr {
        switch (a, b) {
        case (.intConstant(let x), .intConstant(let y)): return .intConstant(x &+ y)
        case (.intConstant(0), _): return b
        case (_, .intConstant(0)): return a
        default: return .index(.add, a, b)
        }
    }

    static func sub(_ a: KExpr, _ b: KExpr) -> KExpr {
        switch (a, b) {
        case (.intConstant(let x), .intConstant(let y)): return .intConstant(x &- y)
        case (_, .intConstant(0)): return a
        default: return a == b ? .intConstant(0) : .index(.sub, a, b)
        }
    }

    static func mul(_ a: KExpr, _ b: KExpr) -> KExpr {
        switch (a, b) {
        case (.intConstant(let x), .intConstant(let y)): return .intConstant(x &* y)
        case (.intConstant(0), _), (_, .intConstant(0)): return .intConstant(0)
        case (.intConstant(1), _): return b
        case (_, .intConstant(1)): return a
        case (.index(.mul, let x, .intConstant(let c)), .intConstant(let d)): return mul(x, .intConstant(c &* d))
        default: return .index(.mul, a, b)
        }
    }

    static func floorDiv(_ a: KExpr, _ b: KExpr) -> KExpr {
        switch (a, b) {
        case (_, .intConstant(1)): return a
        case (.intConstant(0), _): return a
        default: return .index(.floorDiv, a, b)
        }
    }

    static func floorMod(_ a: KExpr, _ b: KExpr) -> KExpr {
        switch (a, b) {
        case (_, .intConstant(1)), (.intConstant(0), _): return .intConstant(0)
        default: return .index(.floorMod, a, b)
        }
    }
}

/// A point of a node's shape, as per-axis indices, as a row-major flat index, or both.
///
/// Elementwise ops pass points through unchanged; reshapes and order-preserving dimshuffles keep
/// the flat index, so a chain of them over buffers never needs division (`axes` are derived by
/// division from `flat` only when an op needs them).
struct EmitIndex {
    var shape: [Dim]
    var axes: [KExpr]?
    var flat: KExpr?

    init(shape: [Dim], axes: [KExpr]) {
        precondition(shape.count == axes.count, "index rank \(axes.count) for shape of rank \(shape.count)")
        self.shape = shape
        self.axes = axes
    }

    init(shape: [Dim], flat: KExpr) {
        self.shape = shape
        self.flat = shape.isEmpty ? .intConstant(0) : flat
        if shape.isEmpty { axes = [] }
    }

    /// The index of a rank-0 value.
    static let scalar = EmitIndex(shape: [], axes: [])

    /// A key identifying the point for caching.
    var key: [KExpr] { flat.map { [$0] } ?? axes! }

    /// The same point of a node with the same shape spelled `shape` (elementwise operands).
    func respelled(_ shape: [Dim]) -> EmitIndex {
        var copy = self
        copy.shape = shape
        return copy
    }

    /// Per-axis indices (size-1 axes index 0), dividing the flat index if needed.
    func axes(_ e: inout KernelEmitter) -> [KExpr] {
        if let axes { return zip(shape, axes).map { $0.isOne ? .intConstant(0) : $1 } }
        e.delinearized = true
        var result: [KExpr] = [], stride: Dim = 1
        for (i, d) in shape.enumerated().reversed() {
            if d.isOne {
                result.append(.intConstant(0))
                continue
            }
            let quotient = IndexMath.floorDiv(flat!, e.dim(stride))
            result.append(i == 0 ? quotient : IndexMath.floorMod(quotient, e.dim(d)))
            stride = stride * d
        }
        return result.reversed()
    }

    /// The row-major flat index (Horner form over the dims: `((a0*d1 + a1)*d2 + a2)...`).
    func flat(_ e: inout KernelEmitter) -> KExpr {
        if let flat { return flat }
        var result: KExpr = .intConstant(0)
        for (d, a) in zip(shape, axes!) {
            result = IndexMath.add(IndexMath.mul(result, e.dim(d)), d.isOne ? .intConstant(0) : a)
        }
        return result
    }
}
