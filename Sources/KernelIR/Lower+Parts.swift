import GraphIR
import TensorRuntime

extension GroupLowering {
    /// Kernels of ops that write their result in parts, one loop nest per part (inputs' inline
    /// producers fused into each nest):
    /// - concatenate: one nest per operand, storing at its offset along the axis;
    /// - setSlice: a copy of x, then a nest over the slice storing (or adding) the values;
    /// - setAdvancedIndex: a copy of x, then a sequential nest over the index positions
    ///   (repeated indices accumulate in order) with a vectorized inner nest over the rest.
    mutating func emitParts(_ node: Node, collapse: Bool) throws {
        countUses(group.inline)
        if case .concatenate(let axis) = node.op {
            try concatenate(node, axis: axis, collapse: collapse)
        } else if case .setSlice(let specs, let accumulate) = node.op {
            try copy(node, collapse: collapse)
            try updateSlice(node, specs, accumulate: accumulate)
        } else if case .setAdvancedIndex(let accumulate) = node.op {
            try copy(node, collapse: collapse)
            try scatter(node, accumulate: accumulate)
        } else if case .col2im(let a, _) = node.op {
            try col2imParts(node, a)   // Lower+Im2col.swift
        } else {
            preconditionFailure("\(node) is not written in parts")
        }
    }

    /// A loop nest over `shape` (one flat loop when collapsing); `body` gets the point.
    mutating func nest(_ shape: [Dim], collapse: Bool, parallel: Bool = true, vectorize: Bool = true,
                       _ body: (inout GroupLowering, EmitIndex) throws -> Void) throws {
        if collapse && shape.count >= 2 {
            let (v, _) = e.openLoop()
            try body(&self, EmitIndex(shape: shape, flat: .value(v)))
            let count = Dim.product(of: shape)
            e.closeLoop(upper: e.dim(count), parallel: parallel && Self.worthParallel(extent: count, work: count),
                        vectorize: vectorize)
            return
        }
        var axes: [KExpr] = [], extents: [Dim] = []
        for d in shape {
            if d.isOne {
                axes.append(.intConstant(0))
            } else {
                axes.append(.value(e.openLoop().0))
                extents.append(d)
            }
        }
        try body(&self, EmitIndex(shape: shape, axes: axes))
        for (i, extent) in extents.enumerated().reversed() {
            let outer = parallel && i == 0 && Self.worthParallel(extent: extent, work: Dim.product(of: shape))
            e.closeLoop(upper: e.dim(extent), parallel: outer, vectorize: vectorize && i == extents.count - 1)
        }
    }

    /// Stores `value` at flat position `index` of `node`'s buffer.
    private mutating func storeAt(_ node: Node, _ index: KExpr, _ value: KExpr) {
        let slot = e.slot(for: node, access: .write)
        e.emit(.store(buffer: slot, index: node.type.rank == 0 ? .intConstant(0) : index, value: value))
    }

    /// `value`, plus the element already stored at `index` when accumulating.
    private mutating func accumulated(_ node: Node, _ index: KExpr, _ value: KExpr, _ accumulate: Bool) -> KExpr {
        guard accumulate else { return value }
        let slot = e.slot(for: node, access: .read)
        return .op(.add, [.load(buffer: slot, index: index), value])
    }

    /// Nest 1 of setSlice / setAdvancedIndex: the result starts as x.
    private mutating func copy(_ node: Node, collapse: Bool) throws {
        let x = node.inputs[0]
        checkSame(x.type.shape, node.type.shape, node)
        try nest(node.type.shape, collapse: collapse) { me, point in
            let v = try me.value(x, point.respelled(x.type.shape))
            me.storeAt(node, point.flat(&me.e), v)
        }
    }

    private mutating func concatenate(_ node: Node, axis: Int, collapse: Bool) throws {
        var offset: Dim = 0
        for x in node.inputs {
            var others = node.type.shape, own = x.type.shape
            others[axis] = 0
            own[axis] = 0
            checkSame(own, others, node)
            try nest(x.type.shape, collapse: collapse && axis == 0) { me, point in
                let v = try me.value(x, point)
                let index: KExpr
                if axis == 0 {
                    let inner = Dim.product(of: Array(node.type.shape.dropFirst()))
                    index = IndexMath.add(point.flat(&me.e), IndexMath.mul(me.e.dim(offset), me.e.dim(inner)))
                } else {
                    var axes = point.axes(&me.e)
                    axes[axis] = IndexMath.add(axes[axis], me.e.dim(offset))
                    index = EmitIndex(shape: node.type.shape, axes: axes).flat(&me.e)
                }
                me.storeAt(node, index, v)
            }
            offset = offset + x.type.shape[axis]
        }
    }

    /// Nest 2 of setSlice: `out[specs] = values` (or `+=`).
    private mutating func updateSlice(_ node: Node, _ specs: [SliceSpec], accumulate: Bool) throws {
        let values = node.inputs[1], shape = node.type.shape
        checkSame(values.type.shape, Self.slicedShape(shape, specs), node)
        try nest(values.type.shape, collapse: false) { me, point in
            let axes = me.sliceAxes(shape, specs, point.axes(&me.e), node)
            let index = EmitIndex(shape: shape, axes: axes).flat(&me.e)
            let v = try me.value(values, point)
            me.storeAt(node, index, me.accumulated(node, index, v, accumulate))
        }
    }

    /// Nest 2 of setAdvancedIndex: positions in order (not parallel), then the block of each.
    private mutating func scatter(_ node: Node, accumulate: Bool) throws {
        let values = node.inputs[1], indices = Array(node.inputs.dropFirst(2)), shape = node.type.shape
        let points = Array(values.type.shape.prefix(indices[0].type.rank))
        let rest = Array(shape[indices.count...])
        checkSame(values.type.shape, indices[0].type.shape + rest, node)
        try nest(values.type.shape, collapse: false, parallel: false, vectorize: !rest.isEmpty) { me, point in
            let axes = point.axes(&me.e), p = Array(axes.prefix(points.count))
            var target: [KExpr] = []
            for (t, idx) in indices.enumerated() {
                target.append(try me.indexValue(idx, at: p, of: points, axis: t, extent: shape[t], node))
            }
            let index = EmitIndex(shape: shape, axes: target + axes[points.count...]).flat(&me.e)
            let v = try me.value(values, point)
            me.storeAt(node, index, me.accumulated(node, index, v, accumulate))
        }
    }
}
