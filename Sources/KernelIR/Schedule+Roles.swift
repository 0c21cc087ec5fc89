import GraphIR
import TensorRuntime

/// How the scheduler treats a node.
enum NodeRole: Equatable {
    /// An argument or constant: a buffer (or an inline constant), never computed.
    case leaf
    /// Computed inline by index arithmetic and scalar ops (elementwise, broadcast, gathers...).
    case fusible
    /// A reduction computed by a carried loop (reduce, argmax, argmin).
    case reduction
    /// Written in parts by its own kernel (concatenate, setSlice, scatter): always materialized.
    case parts
    /// A library matrix product.
    case gemm
    /// Evaluated by the reference interpreter.
    case reference
}

/// Per-node facts the scheduler and the kernel emitter share.
enum NodeFacts {
    /// The role of `node`; `known` holds the dim symbols bound when the node runs (those of the
    /// arguments and of earlier reference results): a kernel cannot size a loop by anything else.
    static func role(_ node: Node, known: Set<DimSymbol>) -> NodeRole {
        switch node.op {
        case .input, .shared, .constant: return .leaf
        case .dot, .batchedDot:
            return node.type.dtype.isFloatingPoint ? .gemm : .reference
        case .reduce, .argmax, .argmin:
            return symbolsKnown(node, known) ? .reduction : .reference
        case .elementwise, .broadcast, .dimshuffle, .reshape, .stopGradient, .dimension, .advancedIndex, .slice:
            return symbolsKnown(node, known) ? .fusible : .reference
        case .alloc(let dims):
            let fits = node.inputs.dropFirst().allSatisfy { Build.staticDim(of: $0) != nil }
            return fits && symbolsKnown(node, known) && dims.allSatisfy({ $0.symbols.isSubset(of: known) })
                ? .fusible : .reference
        case .arange:
            return symbolsKnown(node, known) ? .fusible : .reference
        case .setAdvancedIndex:
            guard symbolsKnown(node, known) else { return .reference }
            return isRowScatter(node) ? .fusible : .parts
        case .setSlice(let specs, _):
            guard symbolsKnown(node, known) else { return .reference }
            return isPointwiseSetSlice(node.inputs[0].type.shape, specs) ? .fusible : .parts
        case .concatenate:
            return symbolsKnown(node, known) ? .parts : .reference
        case .im2col:
            return symbolsKnown(node, known) ? .fusible : .reference
        case .col2im:
            return symbolsKnown(node, known) ? .parts : .reference
        case .softmax, .logSoftmax, .gemm:
            return .reference   // expanded before scheduling (see LoweringExpansion)
        case .random(let a):
            return RandomLowering.isInline(a) && symbolsKnown(node, known) ? .fusible : .reference
        case .pool2d, .pool2dGrad, .pool2dGradGrad:
            return symbolsKnown(node, known) && PoolFacts.isFusible(node.op) ? .fusible : .reference
        case .conv2d, .conv2dGradInput, .conv2dGradFilters:
            return .reference   // only convolutions with a symbolic filter size get here (see ConvExpansion)
        }
    }

    private static func symbolsKnown(_ node: Node, _ known: Set<DimSymbol>) -> Bool {
        node.type.shape.allSatisfy { $0.symbols.isSubset(of: known) }
            && node.inputs.allSatisfy { $0.type.shape.allSatisfy { $0.symbols.isSubset(of: known) } }
    }

    /// The inputs whose values evaluation reads (`dimension` reads only its input's shape,
    /// `alloc` only its fill value, `arange` its start and step).
    static func dataInputs(_ node: Node) -> [Node] {
        switch node.op {
        case .dimension: return []
        case .alloc: return [node.inputs[0]]
        case .arange: return [node.inputs[0], node.inputs[2]]
        case .pool2d, .pool2dGrad, .pool2dGradGrad: return PoolFacts.dataInputs(node)
        case .input, .shared, .constant, .elementwise, .broadcast, .reduce, .argmax, .argmin, .dot, .batchedDot, .gemm,
             .reshape, .dimshuffle, .concatenate, .slice, .advancedIndex, .setSlice, .setAdvancedIndex,
             .softmax, .logSoftmax, .stopGradient, .conv2d, .conv2dGradInput, .conv2dGradFilters, .random,
             .im2col, .col2im:
            return node.inputs
        }
    }

    /// The value of a constant whose elements are all equal (inlined in kernels), else nil.
    static func uniformConstant(_ node: Node) -> Double? {
        guard case .constant(let t) = node.op, t.count >= 1 else { return nil }
        let first = t.double(at: 0)
        for i in 1..<t.count where t.double(at: i).bitPattern != first.bitPattern { return nil }
        return first
    }

    /// True for a reshape-like op whose result is its input's buffer reinterpreted: reshape,
    /// stopGradient, and a dimshuffle that only inserts or drops size-1 axes.
    static func isView(_ node: Node) -> Bool {
        if case .reshape = node.op { return true }
        if case .stopGradient = node.op { return true }
        if case .dimshuffle(let pattern) = node.op { return isOrderPreserving(pattern) }
        return false
    }

    /// True for arguments and constants.
    static func isLeaf(_ node: Node) -> Bool {
        if case .input = node.op { return true }
        if case .shared = node.op { return true }
        if case .constant = node.op { return true }
        return false
    }

    /// True when the listed axes of a dimshuffle pattern appear in increasing order.
    static func isOrderPreserving(_ pattern: [Int?]) -> Bool {
        let axes = pattern.compactMap { $0 }
        return axes == axes.sorted()
    }

    /// True for `arange(0, n, 1)` of int64 whose length equals `extent` (values are in range
    /// and distinct); looks through casts and identity broadcasts.
    static func isIdentityRange(_ node: Node, extent: Dim) -> Bool {
        if case .elementwise(.cast(.int64)) = node.op { return isIdentityRange(node.inputs[0], extent: extent) }
        if case .broadcast(let dims) = node.op, dims == node.inputs[0].type.shape {
            return isIdentityRange(node.inputs[0], extent: extent)
        }
        guard case .arange(let dtype, let length) = node.op, dtype.isInteger, length == extent else { return false }
        return scalarValue(node.inputs[0]) == 0 && scalarValue(node.inputs[2]) == 1
    }

    /// The value of a rank-0 constant.
    static func scalarValue(_ node: Node) -> Double? {
        guard node.type.rank == 0, case .constant(let t) = node.op else { return nil }
        return t.double(at: 0)
    }

    /// True for ops lowered to kernels that write their result in parts (concatenate,
    /// setSlice, and setAdvancedIndex other than a row scatter).
    static func writesInParts(_ node: Node) -> Bool {
        if case .concatenate = node.op { return true }
        if case .col2im = node.op { return true }
        if case .setSlice(let specs, _) = node.op { return !isPointwiseSetSlice(node.inputs[0].type.shape, specs) }
        if case .setAdvancedIndex = node.op { return !isRowScatter(node) }
        return false
    }

    /// True when setSlice can be computed elementwise (`select` on the region with the value
    /// index clamped into the slice): every axis is either whole or sliced to a constant,
    /// non-zero length, so the clamped read of the values is always in bounds.
    static func isPointwiseSetSlice(_ shape: [Dim], _ specs: [SliceSpec]) -> Bool {
        for (axis, spec) in specs.enumerated() {
            guard case .range(let start, let stop, let step) = spec else { continue }
            if start == nil, stop == nil, step == 1 { continue }
            guard let n = SliceSpec.length(start: start, stop: stop, step: step, of: shape[axis]).constantValue,
                  n >= 1 else { return false }
        }
        return true
    }

    /// setAdvancedIndex whose first index tensor is `arange` over x's first axis with rank-1
    /// indices: every row gets one update, so it is elementwise (`select` on a column match).
    static func isRowScatter(_ node: Node) -> Bool {
        guard case .setAdvancedIndex = node.op, node.inputs.count >= 3 else { return false }
        let x = node.inputs[0], rows = node.inputs[2]
        return rows.type.rank == 1 && x.type.rank >= 1 && isIdentityRange(rows, extent: x.type.shape[0])
    }
}
