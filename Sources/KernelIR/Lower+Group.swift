import GraphIR
import TensorRuntime

/// Lowers one fused group to the statements of a kernel: evaluates nodes at symbolic points of
/// their shapes (broadcast, dimshuffle, reshape, slice and gathers become index arithmetic on
/// loads), and stores the roots.
struct GroupLowering {
    let group: FusedGroup
    let materialized: Set<Node>
    let roots: Set<Node>
    /// Reductions created by expanding softmax (an empty row is not an error for them).
    let internalNodes: Set<Node>
    var e: KernelEmitter
    /// How often each node is read inside the kernel (values read twice are let-bound).
    var uses: [Node: Int] = [:]
    /// The final values of the group's reductions at the current outer point.
    var reductionValues: [Node: KExpr] = [:]
    /// The index of each kept (outer) domain axis: its loop variable, or 0 for an axis of
    /// extent 1 (which gets no loop).
    var outerVariables: [Int: KExpr] = [:]
    /// The domain point of the innermost outer loop when the group has no row axes.
    var bodyIndex: EmitIndex?
    /// Pairs of dims already checked for equality.
    var checkedDims: Set<[Dim]> = []
    /// The value of each constant whose elements are all equal (nil: not uniform), memoized.
    var uniformConstants: [Node: Double?] = [:]

    init(group: FusedGroup, materialized: Set<Node>, internalNodes: Set<Node>, firstCode: Int32) {
        self.group = group
        self.materialized = materialized
        self.internalNodes = internalNodes
        roots = Set(group.roots)
        e = KernelEmitter(firstCode: firstCode)
    }

    /// True when the kernel loads `node` from a buffer.
    func isBuffer(_ node: Node) -> Bool {
        if NodeFacts.isLeaf(node) { return true }
        return materialized.contains(node) && !roots.contains(node)
    }

    /// The value of `node` at `index` (a point of its shape).
    mutating func value(_ node: Node, _ index: EmitIndex) throws -> KExpr {
        if case .constant = node.op {
            if uniformConstants[node] == nil { uniformConstants[node] = .some(NodeFacts.uniformConstant(node)) }
            if let c = uniformConstants[node]! { return .constant(c, node.type.dtype) }
        }
        let key = index.key
        if let v = e.cached(node, key) { return v }
        var v = isBuffer(node) ? load(node, index) : try compute(node, index)
        if uses[node, default: 0] > 1 || e.depth(of: v) < e.depth { v = e.bind(v, node.type.dtype) }
        e.cache(node, key, v)
        return v
    }

    private mutating func load(_ node: Node, _ index: EmitIndex) -> KExpr {
        let slot = e.slot(for: node, access: .read)
        return .load(buffer: slot, index: node.type.rank == 0 ? .intConstant(0) : index.flat(&e))
    }

    /// Stores `root` at `index` of its shape.
    mutating func store(_ root: Node, _ index: EmitIndex) throws {
        let v = try value(root, index)
        let slot = e.slot(for: root, access: .write)
        e.emit(.store(buffer: slot, index: root.type.rank == 0 ? .intConstant(0) : index.flat(&e), value: v))
    }

    private mutating func compute(_ node: Node, _ index: EmitIndex) throws -> KExpr {
        switch node.op {
        case .input, .shared, .constant:
            preconditionFailure("leaf \(node) is loaded")
        case .elementwise(let op):
            var operands: [KExpr] = []
            for input in node.inputs {
                checkSame(input.type.shape, node.type.shape, node)
                operands.append(try value(input, index.respelled(input.type.shape)))
            }
            return .op(op, operands)
        case .broadcast(let dims): return try broadcast(node, dims, index)
        case .dimshuffle(let pattern): return try dimshuffle(node, pattern, index)
        case .reshape: return try reshape(node, index)
        case .stopGradient: return try value(node.inputs[0], index.respelled(node.inputs[0].type.shape))
        case .dimension(let axis): return e.dim(node.inputs[0].type.shape[axis])
        case .alloc: return try value(node.inputs[0], .scalar)
        case .arange(let dtype, _): return try arange(node, dtype, index)
        case .advancedIndex: return try gather(node, index)
        case .setAdvancedIndex(let accumulate): return try rowScatter(node, accumulate: accumulate, index)
        case .slice(let specs): return try slice(node, specs, index)
        case .setSlice(let specs, let accumulate): return try regionUpdate(node, specs, accumulate: accumulate, index)
        case .reduce, .argmax, .argmin: return try reductionValue(node, index)
        case .random(let a): return try random(node, a, index)
        case .pool2d(let a): return try pool2d(node, a, index)
        case .pool2dGrad(let a): return try pool2dGrad(node, a, index)
        case .pool2dGradGrad(let a): return try pool2dGradGrad(node, a, index)
        case .im2col(let a): return try im2col(node, a, index)
        case .dot, .batchedDot, .gemm, .concatenate, .softmax, .logSoftmax, .conv2d, .conv2dGradInput, .conv2dGradFilters,
             .col2im:
            preconditionFailure("\(node) is never computed inline")
        }
    }

    private mutating func broadcast(_ node: Node, _ dims: [Dim], _ index: EmitIndex) throws -> KExpr {
        let x = node.inputs[0]
        if x.type.shape == dims { return try value(x, index.respelled(dims)) }
        if x.type.rank == 0 { return try value(x, .scalar) }
        let offset = dims.count - x.type.rank, axes = index.axes(&e)
        var xAxes: [KExpr] = []
        for (a, d) in x.type.shape.enumerated() {
            if d.isOne {
                xAxes.append(.intConstant(0))
            } else {
                checkSame([d], [dims[a + offset]], node)
                xAxes.append(axes[a + offset])
            }
        }
        return try value(x, EmitIndex(shape: x.type.shape, axes: xAxes))
    }

    /// reshape: the same flat position; a reshape that only respells one axis (sizes unified
    /// by a type rule) keeps per-axis indices, its element count being checked.
    private mutating func reshape(_ node: Node, _ index: EmitIndex) throws -> KExpr {
        let x = node.inputs[0]
        checkSame([Dim.product(of: x.type.shape)], [Dim.product(of: node.type.shape)], node)
        let respelled = zip(x.type.shape, node.type.shape).filter { $0 != $1 }.count
        if x.type.rank == node.type.rank, respelled <= 1 { return try value(x, index.respelled(x.type.shape)) }
        return try value(x, EmitIndex(shape: x.type.shape, flat: index.flat(&e)))
    }

    private mutating func dimshuffle(_ node: Node, _ pattern: [Int?], _ index: EmitIndex) throws -> KExpr {
        let x = node.inputs[0]
        if index.axes == nil, NodeFacts.isOrderPreserving(pattern), let flat = index.flat {
            return try value(x, EmitIndex(shape: x.type.shape, flat: flat))
        }
        let axes = index.axes(&e)
        let xAxes = x.type.shape.indices.map { b in pattern.firstIndex(of: b).map { axes[$0] } ?? .intConstant(0) }
        return try value(x, EmitIndex(shape: x.type.shape, axes: xAxes))
    }

    /// Checks at run time that dims the type rules unified (but spelled differently) agree.
    mutating func checkSame(_ a: [Dim], _ b: [Dim], _ node: Node) {
        for (x, y) in zip(a, b) where x != y && checkedDims.insert([x, y]).inserted {
            e.check(IndexMath.sub(e.dim(x), e.dim(y)), bound: .intConstant(1), Self.sizeMismatch(x, y, node))
        }
    }

    /// The error of operand sizes `x` and `y` that differ at run time.
    static func sizeMismatch(_ x: Dim, _ y: Dim, _ node: Node) -> PlanErrorMessage {
        PlanErrorMessage(kind: .shape, op: node.op.name,
                         message: "sizes \(x) = {0} and \(y) = {1} must be equal at run time",
                         sizes: [x, y], location: node.location)
    }

    /// Counts the reads of each node inside the kernel.
    mutating func countUses(_ cone: [Node]) {
        for node in cone {
            for input in NodeFacts.dataInputs(node) { uses[input, default: 0] += 1 }
        }
        for root in group.roots { uses[root, default: 0] += 1 }
    }
}
