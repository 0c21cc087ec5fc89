import GraphIR
import TensorRuntime

/// How pooling ops are lowered: as fusible nodes whose value at a point is an unrolled
/// expression over the window taps (see `GroupLowering.pool2d`), when the unrolled work per
/// element stays small; else as reference steps.
///
/// Work per element ("taps"): pool2d and average pool2dGradGrad read the window (wh·ww taps);
/// max pool2dGradGrad finds the window's first maximum (wh·ww) and reads h once; pool2dGrad
/// visits the candidate windows containing an input position (⌈wh/sh⌉·⌈ww/sw⌉), each reading
/// gy once (average) or finding the window's first maximum (max: candidates × wh·ww).
enum PoolFacts {
    /// The largest window unrolled (8×8; global pooling over larger planes is a reference step).
    static let maxWindow = 64
    /// The most taps a max-pooling gradient unrolls per element (3×3 windows with stride 1 are
    /// 9 candidate windows × 9 taps).
    static let maxGradientTaps = 144

    /// The attributes of a pooling op, or nil for other ops.
    static func attributes(_ op: Op) -> Pool2DAttributes? {
        switch op {
        case .pool2d(let a), .pool2dGrad(let a), .pool2dGradGrad(let a): return a
        case .input, .shared, .constant, .elementwise, .broadcast, .reduce, .argmax, .argmin, .dot, .batchedDot, .gemm,
             .reshape, .dimshuffle, .concatenate, .slice, .advancedIndex, .setSlice, .setAdvancedIndex, .arange, .alloc,
             .dimension, .softmax, .logSoftmax, .stopGradient, .conv2d, .conv2dGradInput, .conv2dGradFilters, .random,
             .im2col, .col2im:
            return nil
        }
    }

    /// Windows containing one input position, at most (⌈wh/sh⌉·⌈ww/sw⌉).
    static func candidates(_ a: Pool2DAttributes) -> Int {
        ((a.windowH + a.strideH - 1) / a.strideH) * ((a.windowW + a.strideW - 1) / a.strideW)
    }

    /// Window taps read per element of the result.
    static func taps(_ op: Op) -> Int {
        guard let a = attributes(op) else { return 0 }
        let window = a.windowH * a.windowW
        if case .pool2dGrad = op { return a.mode == .max ? candidates(a) * window : candidates(a) }
        return window
    }

    /// The recompute cost of the op in `RecomputeCost` units: one per tap for a maximum or a
    /// sum, three per tap for a first-maximum scan (compare, NaN test, two selects).
    static func recomputeUnits(_ op: Op) -> Int {
        guard let a = attributes(op) else { return 0 }
        if case .pool2d = op { return taps(op) }
        return a.mode == .max ? 3 * taps(op) : taps(op)
    }

    /// True when the op is computed inline (window and unrolled taps within the limits).
    static func isFusible(_ op: Op) -> Bool {
        guard let a = attributes(op) else { return false }
        return a.windowH * a.windowW <= maxWindow && taps(op) <= maxGradientTaps
    }

    /// The inputs whose values the op reads: average pooling's gradients only use x's shape.
    static func dataInputs(_ node: Node) -> [Node] {
        guard let a = attributes(node.op), a.mode != .max, node.inputs.count == 2 else { return node.inputs }
        return [node.inputs[1]]
    }

    /// How many times the op evaluates each element of its data input `k`, at most: a pooling
    /// with overlapping windows reads an element from every window containing it; max
    /// gradients also read every tap of those windows.
    static func readsPerElement(_ node: Node, input k: Int) -> Int {
        guard let a = attributes(node.op) else { return 1 }
        let window = a.windowH * a.windowW
        if case .pool2dGrad = node.op { return a.mode == .max && k == 0 ? candidates(a) * window : window }
        if case .pool2dGradGrad = node.op, a.mode == .max, k == 1 { return 1 }
        return candidates(a)
    }
}
