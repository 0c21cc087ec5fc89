import GraphIR
import TensorRuntime

extension GroupLowering {
    /// The reduction of a group computed better by accumulating into its root's buffer: the
    /// group reduces leading axes (the last axis is kept, e.g. a bias gradient summing over the
    /// batch), has one sum/mean (or float max/min) and one root shaped like the kept axes,
    /// whose dtype the reduction accumulates in. A carried reduction would read the input with
    /// a stride in its inner loop; this way the inner loop runs along the contiguous kept axis.
    func columnReduction(_ cone: [Node]) -> Node? {
        guard let last = group.domain.indices.last, !group.rowAxes.isEmpty, !group.rowAxes.contains(last),
              group.roots.count == 1, group.isOuterShape(group.roots[0].type.shape) else { return nil }
        let reductions = cone.filter(Self.isReduction)
        guard reductions.count == 1, let r = reductions.first,
              Self.accumulator(r) == group.roots[0].type.dtype else { return nil }
        switch ReductionKind(r)! {
        case .reduce(.sum), .reduce(.mean): return r
        case .reduce(.max), .reduce(.min): return Self.accumulator(r).isFloatingPoint ? r : nil
        case .reduce(.prod), .argExtreme: return nil
        }
    }

    /// Three nests over the kept axes: the root's buffer starts as the reduction's identity,
    /// accumulates row after row (rows outer, sequential; kept axes inner, vectorized), and
    /// finally becomes the root's value computed from the accumulated reduction.
    mutating func emitColumnReduction(_ r: Node) throws {
        let root = group.roots[0]
        let initial = try initialValues(r)[0].1
        try keptNest(parallel: true) { me in
            me.storeAccumulator(root, initial)
        }
        var rowVariables: [Int: ValueID] = [:]
        for axis in group.rowAxes { rowVariables[axis] = e.openLoop().0 }
        try keptNest(parallel: false) { me in
            let point = me.pointIndex(rowVariables)
            let next = try me.combine(r, [me.loadAccumulator(root)], point, position: nil)[0]
            me.storeAccumulator(root, next)
        }
        for axis in group.rowAxes.reversed() { e.closeLoop(upper: e.dim(group.domain[axis])) }
        try keptNest(parallel: true) { me in
            me.reductionValues[r] = me.finalValue(r, [me.loadAccumulator(root)])
            try me.store(root, me.outerIndex(of: root))
        }
    }

    /// A loop nest over the kept axes (setting `outerVariables`); the innermost is vectorized.
    private mutating func keptNest(parallel: Bool, _ body: (inout GroupLowering) throws -> Void) throws {
        let extents = openKeptAxisLoops()
        try body(&self)
        let work = Dim.product(of: group.keptShape)
        for (i, extent) in extents.enumerated().reversed() {
            let split = parallel && i == 0 && Self.worthParallel(extent: extent, work: work)
            e.closeLoop(upper: e.dim(extent), parallel: split, vectorize: i == extents.count - 1)
        }
    }

    private mutating func loadAccumulator(_ root: Node) -> KExpr {
        let slot = e.slot(for: root, access: .read)
        return .load(buffer: slot, index: root.type.rank == 0 ? .intConstant(0) : outerIndex(of: root).flat(&e))
    }

    private mutating func storeAccumulator(_ root: Node, _ value: KExpr) {
        let slot = e.slot(for: root, access: .write)
        e.emit(.store(buffer: slot, index: root.type.rank == 0 ? .intConstant(0) : outerIndex(of: root).flat(&e),
                      value: value))
    }
}
