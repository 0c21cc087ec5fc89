import GraphIR
import TensorRuntime

extension GroupLowering {
    /// advancedIndex: `x[i0[p], i1[p], ..., rest]` with each index wrapped and bounds-checked.
    mutating func gather(_ node: Node, _ index: EmitIndex) throws -> KExpr {
        let x = node.inputs[0], indices = Array(node.inputs.dropFirst())
        let pointRank = indices[0].type.rank
        let axes = index.axes(&e)
        let point = Array(axes[..<pointRank]), pointShape = Array(node.type.shape[..<pointRank])
        var xAxes: [KExpr] = []
        for (t, idx) in indices.enumerated() {
            xAxes.append(try indexValue(idx, at: point, of: pointShape, axis: t, extent: x.type.shape[t], node))
        }
        checkSame(Array(x.type.shape[indices.count...]), Array(node.type.shape[pointRank...]), node)
        return try value(x, EmitIndex(shape: x.type.shape, axes: xAxes + axes[pointRank...]))
    }

    /// setAdvancedIndex whose first index tensor is the identity `arange` over rows: row i gets
    /// `values[i, rest]` at columns `i1[i], ...` (added when accumulating), elsewhere keeps x.
    mutating func rowScatter(_ node: Node, accumulate: Bool, _ index: EmitIndex) throws -> KExpr {
        let x = node.inputs[0], values = node.inputs[1], indices = Array(node.inputs.dropFirst(2))
        let axes = index.axes(&e), row = axes[0], rows = [x.type.shape[0]]
        var match: KExpr?
        for (t, idx) in indices.enumerated().dropFirst() {
            let target = try indexValue(idx, at: [row], of: rows, axis: t, extent: x.type.shape[t], node)
            let equal = KExpr.op(.eq, [axes[t], target])
            match = match.map { .op(.logicalAnd, [$0, equal]) } ?? equal
        }
        let rest = Array(axes[indices.count...])
        checkSame(values.type.shape, rows + x.type.shape[indices.count...], node)
        let update = try value(values, EmitIndex(shape: values.type.shape, axes: [row] + rest))
        let old = try value(x, index.respelled(x.type.shape))
        let addsToZero = old == .constant(0, x.type.dtype)   // scatter into zeros (gradients of gathers)
        let updated = accumulate && !addsToZero ? KExpr.op(.add, [old, update]) : update
        guard let match else { return updated }
        return .op(.select, [match, updated, old])
    }

    /// The value of index tensor `idx` at `point`, wrapped (negative counts from the end) and
    /// checked against `extent` unless it is an identity range over it.
    mutating func indexValue(_ idx: Node, at point: [KExpr], of shape: [Dim], axis: Int, extent: Dim,
                                     _ node: Node) throws -> KExpr {
        checkSame(idx.type.shape, shape, node)
        let raw = e.bind(try value(idx, EmitIndex(shape: idx.type.shape, axes: point)), .int64)
        if NodeFacts.isIdentityRange(idx, extent: extent) { return raw }
        let n = e.dim(extent)
        if case .constant(let v, _) = raw, case .intConstant(let size) = n {
            let wrapped = Int64(v) < 0 ? Int64(v) + size : Int64(v)
            if wrapped >= 0, wrapped < size { return .intConstant(wrapped) }
        }
        let tag = 1 + axis, key = point + [n]
        if let wrapped = e.cached(idx, key, tag: tag) { return wrapped }
        let negative = KExpr.op(.lt, [raw, .constant(0, .int64)])
        let wrapped = e.bind(.op(.select, [negative, IndexMath.add(raw, n), raw]), .int64)
        let message = "index is out of bounds for axis \(axis) with size {0}"
        e.check(wrapped, bound: n, PlanErrorMessage(op: node.op.name, message: message, sizes: [extent],
                                                    location: node.location))
        e.cache(idx, key, wrapped, tag: tag)
        return wrapped
    }

    /// slice: an index spec picks a fixed position (checked), a range maps `k` to `first + k*step`.
    mutating func slice(_ node: Node, _ specs: [SliceSpec], _ index: EmitIndex) throws -> KExpr {
        let x = node.inputs[0]
        let xAxes = sliceAxes(x.type.shape, specs, index.axes(&e), node)
        return try value(x, EmitIndex(shape: x.type.shape, axes: xAxes))
    }

    /// The point of x (of `shape`) that point `axes` of `x[specs]` reads.
    mutating func sliceAxes(_ shape: [Dim], _ specs: [SliceSpec], _ axes: [KExpr], _ node: Node) -> [KExpr] {
        var xAxes: [KExpr] = [], next = 0
        for (a, n) in shape.enumerated() {
            switch a < specs.count ? specs[a] : .all {
            case .index(let i):
                let position = e.dim(i >= 0 ? .constant(i) : n + .constant(i))
                let message = "index \(i) is out of bounds for axis \(a) with size {0}"
                e.check(position, bound: e.dim(n), PlanErrorMessage(op: node.op.name, message: message, sizes: [n],
                                                                    location: node.location))
                xAxes.append(position)
            case .range(let start, _, let step):
                let first = e.dim(Self.sliceStart(start, step: step, extent: n))
                xAxes.append(IndexMath.add(first, IndexMath.mul(axes[next], .intConstant(Int64(step)))))
                next += 1
            }
        }
        return xAxes
    }

    /// setSlice computed elementwise: inside the region x (plus) the values, outside x. The
    /// values are read at the point's position in the slice, clamped into it (see
    /// `NodeFacts.isPointwiseSetSlice`).
    mutating func regionUpdate(_ node: Node, _ specs: [SliceSpec], accumulate: Bool,
                               _ index: EmitIndex) throws -> KExpr {
        let x = node.inputs[0], values = node.inputs[1], axes = index.axes(&e)
        checkSame(values.type.shape, Self.slicedShape(x.type.shape, specs), node)
        var inside: [KExpr] = [], valueAxes: [KExpr] = []
        for (a, n) in x.type.shape.enumerated() {
            let spec = a < specs.count ? specs[a] : .all
            if case .index(let i) = spec {
                inside.append(.op(.eq, [axes[a], e.dim(i >= 0 ? .constant(i) : n + .constant(i))]))
                continue
            }
            guard case .range(let start, let stop, let step) = spec, !(start == nil && stop == nil && step == 1) else {
                valueAxes.append(axes[a])
                continue
            }
            let length = SliceSpec.length(start: start, stop: stop, step: step, of: n).constantValue!
            let offset = IndexMath.sub(axes[a], e.dim(Self.sliceStart(start, step: step, extent: n)))
            let k = IndexMath.floorDiv(offset, .intConstant(Int64(step)))
            let (low, high) = (KExpr.op(.ge, [k, .intConstant(0)]), KExpr.op(.lt, [k, .intConstant(Int64(length))]))
            var test = KExpr.op(.logicalAnd, [low, high])
            if step != 1 {
                let onStep = KExpr.op(.eq, [IndexMath.floorMod(offset, .intConstant(Int64(step))), .intConstant(0)])
                test = .op(.logicalAnd, [onStep, test])
            }
            inside.append(test)
            valueAxes.append(.index(.min, .index(.max, k, .intConstant(0)), .intConstant(Int64(length - 1))))
        }
        let old = try value(x, index.respelled(x.type.shape))
        let update = try value(values, EmitIndex(shape: values.type.shape, axes: valueAxes))
        let updated = accumulate && old != .constant(0, x.type.dtype) ? KExpr.op(.add, [old, update]) : update
        guard let first = inside.first else { return updated }
        let region = inside.dropFirst().reduce(first) { .op(.logicalAnd, [$0, $1]) }
        return .op(.select, [region, updated, old])
    }

    /// The shape of `x[specs]` for x of `shape`.
    static func slicedShape(_ shape: [Dim], _ specs: [SliceSpec]) -> [Dim] {
        shape.enumerated().compactMap { a, n in
            switch a < specs.count ? specs[a] : .all {
            case .index: return nil
            case .range(let start, let stop, let step):
                return SliceSpec.length(start: start, stop: stop, step: step, of: n)
            }
        }
    }

    /// The first index of Python's `slice(start, _, step)` on an axis of `extent` (meaningful
    /// when the slice is not empty).
    static func sliceStart(_ start: Int?, step: Int, extent n: Dim) -> Dim {
        if step > 0 {
            guard let s = start else { return 0 }
            return s >= 0 ? .min(.constant(s), n) : .max(n + .constant(s), 0)
        }
        guard let s = start else { return n - 1 }
        return s >= 0 ? .min(.constant(s), n - 1) : .max(n + .constant(s), -1)
    }

    /// arange: `start + k*step` (int64 index arithmetic for integers, then cast).
    mutating func arange(_ node: Node, _ dtype: DType, _ index: EmitIndex) throws -> KExpr {
        let k = index.axes(&e)[0]
        let start = try value(node.inputs[0], .scalar), step = try value(node.inputs[2], .scalar)
        guard dtype.isInteger || dtype == .bool else {
            return .op(.add, [start, .op(.mul, [.op(.cast(dtype), [k]), step])])
        }
        let wide = IndexMath.add(Self.asInt64(start, node.inputs[0].type.dtype),
                                 IndexMath.mul(k, Self.asInt64(step, node.inputs[2].type.dtype)))
        return dtype == .int64 ? wide : .op(.cast(dtype), [wide])
    }

    /// An integer expression as int64 (constants become index constants).
    static func asInt64(_ v: KExpr, _ dtype: DType) -> KExpr {
        if case .constant(let c, _) = v { return .intConstant(Int64(c)) }
        return dtype == .int64 ? v : .op(.cast(.int64), [v])
    }
}
