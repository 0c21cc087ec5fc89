import GraphIR
import TensorRuntime

extension GroupLowering {
    /// The level of every node of the cone: 0 without reductions below it, else one more than
    /// the deepest reduction level its reductions read (level-n reductions run in pass n).
    func reductionLevels(_ cone: [Node]) -> [Node: Int] {
        var level: [Node: Int] = [:]
        let inCone = Set(cone)
        for node in cone {
            let below = NodeFacts.dataInputs(node).filter(inCone.contains).map { level[$0] ?? 0 }.max() ?? 0
            level[node] = Self.isReduction(node) ? below + 1 : below
        }
        return level
    }

    static func isReduction(_ node: Node) -> Bool { ReductionKind(node) != nil }

    /// One pass over the row axes: carried reductions of one level, and the stores of the full
    /// domain roots that can be computed by then. Without row axes the pass is the body itself.
    mutating func emitPass(_ reductions: [Node], stores: [Node]) throws {
        var initial: [(DType, KExpr)] = []
        for r in reductions { initial += try initialValues(r) }
        var current = initial.map(\.1), carriedIDs: [[ValueID]] = [], passVariables: [Int: ValueID] = [:]
        for axis in group.rowAxes {
            let (variable, ids) = e.openLoop(carrying: zip(initial.map(\.0), current).map { ($0, $1) })
            passVariables[axis] = variable
            current = ids.map { .value($0) }
            carriedIDs.append(ids)
        }
        let point = pointIndex(passVariables)
        var next: [KExpr] = []
        for r in reductions {
            let count = Self.isArgReduction(r) ? 2 : 1
            next += try combine(r, Array(current[next.count..<next.count + count]), point,
                                position: passVariables[group.rowAxes.last ?? 0].map { .value($0) })
        }
        for root in stores { try store(root, point.respelled(root.type.shape)) }
        let contiguous = group.rowAxes.last == group.domain.count - 1
        for (i, axis) in group.rowAxes.enumerated().reversed() {
            let innermost = i == group.rowAxes.count - 1
            let vectorize = innermost && contiguous && !reductions.contains(where: Self.isArgReduction)
            e.closeLoop(upper: e.dim(group.domain[axis]), yields: next, vectorize: vectorize)
            next = carriedIDs[i].map { .value($0) }
        }
        var offset = 0
        for r in reductions {
            let count = Self.isArgReduction(r) ? 2 : 1
            reductionValues[r] = finalValue(r, Array(next[offset..<offset + count]))
            offset += count
        }
    }

    /// The domain point of the current outer iteration and pass.
    func pointIndex(_ passVariables: [Int: ValueID]) -> EmitIndex {
        if group.rowAxes.isEmpty, let body = bodyIndex { return body }
        let axes = group.domain.indices.map { a in passVariables[a].map { KExpr.value($0) } ?? outerVariables[a]! }
        return EmitIndex(shape: group.domain, axes: axes)
    }

    /// The first point of the current row (row axes at 0).
    private func firstPoint() -> EmitIndex {
        let axes = group.domain.indices.map { a in
            group.rowAxes.contains(a) ? KExpr.intConstant(0) : outerVariables[a]!
        }
        return EmitIndex(shape: group.domain, axes: axes)
    }

    static func isArgReduction(_ node: Node) -> Bool {
        if case .argExtreme = ReductionKind(node) { return true }
        return false
    }

    /// The dtype a reduction accumulates in: the result's, int64 for integer max/min, float64
    /// for the mean of integers.
    static func accumulator(_ r: Node) -> DType {
        let input = r.inputs[0].type.dtype
        switch ReductionKind(r)! {
        case .reduce(.max), .reduce(.min), .argExtreme: return input.isFloatingPoint ? input : .int64
        case .reduce(.mean): return input.isFloatingPoint ? input : .float64
        case .reduce(.sum), .reduce(.prod): return r.type.dtype
        }
    }

    /// The reduced element count as a Dim.
    private func rowCount() -> Dim { Dim.product(of: group.rowAxes.map { group.domain[$0] }) }

    /// Initial carried values, emitted before the pass. Reductions without an identity (integer
    /// max/min, argmax/argmin) start from the first element of the row after checking it exists.
    mutating func initialValues(_ r: Node) throws -> [(DType, KExpr)] {
        let acc = Self.accumulator(r), kind = ReductionKind(r)!
        switch kind {
        case .reduce(.sum), .reduce(.mean): return [(acc, .constant(0, acc))]
        case .reduce(.prod): return [(acc, .constant(1, acc))]
        case .reduce(.max), .reduce(.min):
            guard acc.isFloatingPoint else { return [(acc, try firstElement(r, acc))] }
            if !internalNodes.contains(r) { checkNotEmpty(r) }
            return [(acc, .constant(kind == .reduce(.max) ? -.infinity : .infinity, acc))]
        case .argExtreme:
            return [(acc, try firstElement(r, acc)), (.int64, .intConstant(0))]
        }
    }

    /// The first element of the current row as `acc`, after checking the row is not empty.
    private mutating func firstElement(_ r: Node, _ acc: DType) throws -> KExpr {
        checkNotEmpty(r)
        let first = try value(r.inputs[0], firstPoint())
        return r.inputs[0].type.dtype == acc ? first : .op(.cast(acc), [first])
    }

    private mutating func checkNotEmpty(_ r: Node) {
        let count = rowCount()
        if let c = count.constantValue, c > 0 { return }
        let message = "zero-size reduction: \(r.op.name) over axes \(group.rowAxes) of \(r.inputs[0].type) "
            + "has no identity (the axes have {0} elements)"
        e.check(.intConstant(0), bound: e.dim(count), PlanErrorMessage(op: r.op.name, message: message, sizes: [count],
                                                                       location: r.location))
    }

    /// The next carried values after reading the element at `point` (`position`: the pass
    /// variable, for argmax/argmin).
    mutating func combine(_ r: Node, _ acc: [KExpr], _ point: EmitIndex, position: KExpr?) throws -> [KExpr] {
        let input = r.inputs[0], accType = Self.accumulator(r)
        let raw = try value(input, point.respelled(input.type.shape))
        let v = input.type.dtype == accType ? raw : KExpr.op(.cast(accType), [raw])
        switch ReductionKind(r)! {
        case .reduce(.sum), .reduce(.mean): return [.op(.add, [acc[0], v])]
        case .reduce(.prod): return [.op(.mul, [acc[0], v])]
        case .reduce(.max): return [.op(.maximum, [acc[0], v])]
        case .reduce(.min): return [.op(.minimum, [acc[0], v])]
        case .argExtreme(let isMax):
            let best = acc[0], value = e.bind(v, accType)
            var take = KExpr.op(isMax ? .gt : .lt, [value, best])
            if accType.isFloatingPoint {
                let firstNaN = KExpr.op(.logicalAnd, [.op(.neq, [value, value]), .op(.eq, [best, best])])
                take = .op(.logicalOr, [take, firstNaN])
            }
            let t = e.bind(take, .bool)
            return [.op(.select, [t, value, best]), .op(.select, [t, position!, acc[1]])]
        }
    }

    /// The reduction's result from its final carried values.
    mutating func finalValue(_ r: Node, _ finals: [KExpr]) -> KExpr {
        if Self.isArgReduction(r) { return finals[1] }
        let accType = Self.accumulator(r)
        var result = finals[0]
        if case .reduce(.mean, _, _) = r.op {
            let count = rowCount().constantValue.map { KExpr.constant(Double($0), accType) }
                ?? .op(.cast(accType), [e.dim(rowCount())])
            result = .op(.div, [result, count])
        }
        if accType != r.type.dtype { result = .op(.cast(r.type.dtype), [result]) }
        return e.bind(result, r.type.dtype)
    }

    /// The value of reduction `r` at `index`, which must be the current outer point.
    mutating func reductionValue(_ r: Node, _ index: EmitIndex) throws -> KExpr {
        guard let v = reductionValues[r] else { throw FusionFailure(node: r) }
        let axes = index.axes(&e)
        let keptAxes = group.domain.indices.filter { !group.rowAxes.contains($0) }
        let keepsDims = r.type.rank == group.domain.count
        for (p, axis) in keptAxes.enumerated() {
            let position = keepsDims ? axis : p
            guard axes[position] == outerVariables[axis]! else { throw FusionFailure(node: r) }
        }
        return v
    }
}

/// The reduction a node performs (reduce, argmax, argmin), if any.
enum ReductionKind: Equatable {
    case reduce(Reduction)
    case argExtreme(isMax: Bool)

    init?(_ node: Node) {
        switch node.op {
        case .reduce(let r, _, _): self = .reduce(r)
        case .argmax: self = .argExtreme(isMax: true)
        case .argmin: self = .argExtreme(isMax: false)
        case .input, .shared, .constant, .elementwise, .broadcast, .dot, .batchedDot, .gemm, .reshape, .dimshuffle,
             .concatenate, .slice, .advancedIndex, .setSlice, .setAdvancedIndex, .arange, .alloc, .dimension,
             .softmax, .logSoftmax, .stopGradient, .conv2d, .conv2dGradInput, .conv2dGradFilters, .pool2d, .pool2dGrad, .pool2dGradGrad, .random,
             .im2col, .col2im:
            return nil
        }
    }
}
