import GraphIR
import TensorRuntime

/// A lowered group: the kernel and what its buffers and parameters stand for.
struct LoweredKernel {
    var kernel: Kernel
    /// The node behind each kernel buffer (loaded values, then stored roots, in first-use order).
    var bufferNodes: [Node]
    /// The dims passed as size parameters.
    var params: [Dim]
    /// Errors of the kernel's `checkIndex` codes, starting at the code it was given.
    var failures: [PlanErrorMessage]
}

extension GroupLowering {
    /// Lowers `group` to a kernel named `name`. An elementwise
    /// group of rank ≥ 2 becomes one flat loop when no op needs per-axis indices.
    static func lower(_ group: FusedGroup, materialized: Set<Node>, internalNodes: Set<Node>,
                      name: String, firstCode: Int32 = 1) throws -> LoweredKernel {
        let cone = group.inline
        let collapsible = group.rowAxes.isEmpty && group.domain.count >= 2 && !cone.contains(where: isReduction)
        for collapse in collapsible ? [true, false] : [false] {
            var lowering = GroupLowering(group: group, materialized: materialized, internalNodes: internalNodes,
                                         firstCode: firstCode)
            if group.roots.count == 1, NodeFacts.writesInParts(group.roots[0]) {
                try lowering.emitParts(group.roots[0], collapse: collapse)
            } else {
                try lowering.emitBody(cone, collapse: collapse)
            }
            if collapse && lowering.e.delinearized { continue }
            let dtypes = lowering.e.bufferNodes.map(\.type.dtype)
            return LoweredKernel(kernel: lowering.e.kernel(named: name, bufferTypes: dtypes),
                                 bufferNodes: lowering.e.bufferNodes, params: lowering.e.params,
                                 failures: lowering.e.failures)
        }
        preconditionFailure("unreachable")
    }

    /// Outer loops, reduction passes, a write pass if needed, and the stores.
    mutating func emitBody(_ cone: [Node], collapse: Bool) throws {
        countUses(cone)
        if let r = columnReduction(cone) { return try emitColumnReduction(r) }
        let level = reductionLevels(cone)
        let reductions = cone.filter(Self.isReduction)
        let passes = reductions.map { level[$0]! }.max() ?? 0
        let unrolling = collapse ? PoolUnrolling.none : innermostUnrolling()
        var extents = openOuterLoops(collapse: collapse)
        unrolling.divide(&extents)
        let outerRoots = group.roots.filter { group.rowAxes.isEmpty || group.isOuterShape($0.type.shape) }
        let fullRoots = group.roots.filter { !outerRoots.contains($0) }
        for p in stride(from: 1, through: passes, by: 1) {
            try emitPass(reductions.filter { level[$0] == p }, stores: fullRoots.filter { level[$0]! + 1 == p })
        }
        let late = fullRoots.filter { level[$0]! >= passes }
        if !late.isEmpty { try emitPass([], stores: late) }
        if unrolling.isUnrolled { try storeUnrolled(outerRoots, unrolling) }
        else { for root in outerRoots { try store(root, outerIndex(of: root)) } }
        closeOuterLoops(extents)
    }

    /// Opens the loops over the kept axes (one flat loop when collapsing); returns their extents.
    private mutating func openOuterLoops(collapse: Bool) -> [Dim] {
        if collapse {
            let (v, _) = e.openLoop()
            bodyIndex = EmitIndex(shape: group.domain, flat: .value(v))
            return [Dim.product(of: group.domain)]
        }
        let extents = openKeptAxisLoops()
        if group.rowAxes.isEmpty {
            bodyIndex = EmitIndex(shape: group.domain, axes: group.domain.indices.map { outerVariables[$0]! })
        }
        return extents
    }

    /// Opens one loop per kept (non-row) axis whose extent is not the constant 1, recording each
    /// kept axis's index in `outerVariables`; returns the loops' extents, outermost first.
    mutating func openKeptAxisLoops() -> [Dim] {
        var extents: [Dim] = []
        for axis in group.domain.indices where !group.rowAxes.contains(axis) {
            if group.domain[axis].isOne {
                outerVariables[axis] = .intConstant(0)
                continue
            }
            outerVariables[axis] = .value(e.openLoop().0)
            extents.append(group.domain[axis])
        }
        return extents
    }

    /// Closes the outer loops: the outermost runs in parallel when it is worth it, the innermost
    /// is vectorized when it is the innermost loop of the kernel (no row axes).
    private mutating func closeOuterLoops(_ extents: [Dim]) {
        for (i, extent) in extents.enumerated().reversed() {
            let parallel = i == 0 && Self.worthParallel(extent: extent, work: Dim.product(of: group.domain))
            let vectorize = i == extents.count - 1 && group.rowAxes.isEmpty
            e.closeLoop(upper: e.dim(extent), parallel: parallel, vectorize: vectorize)
        }
    }

    /// True when splitting a loop of `extent` iterations over threads pays: at least two
    /// iterations and 2^16 elements of work in all; sizes unknown until run time count as large
    /// (the code generator can still run small instances on one thread).
    static func worthParallel(extent: Dim, work: Dim) -> Bool {
        if let n = extent.constantValue, n < 2 { return false }
        if let w = work.constantValue, w < 1 << 16 { return false }
        return true
    }

    /// The point of a root stored after the passes: the outer point in the root's shape.
    func outerIndex(of root: Node) -> EmitIndex {
        if group.rowAxes.isEmpty, let body = bodyIndex { return body.respelled(root.type.shape) }
        let keepsDims = root.type.rank == group.domain.count
        var axes: [KExpr] = []
        for axis in group.domain.indices {
            if let v = outerVariables[axis] {
                axes.append(v)
            } else if keepsDims {
                axes.append(.intConstant(0))
            }
        }
        return EmitIndex(shape: root.type.shape, axes: axes)
    }
}
