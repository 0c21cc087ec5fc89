import GraphIR
import TensorRuntime

/// One spatial axis of a pooling as kernel index arithmetic (Theano's semantics, see
/// `Pool2DAttributes`): window `size`, `stride`, `pad`, input extent `n`, output extent `m`.
struct PoolAxis {
    let size: Int, stride: Int, pad: Int
    let n: Dim, m: Dim
    let ignoreBorder: Bool

    /// Windows containing one input position, at most.
    var candidates: Int { (size + stride - 1) / stride }

    /// True when tap `t` of every window is a real position past the start of the input.
    func inFrontAlways(_ t: Int) -> Bool { t >= pad }

    /// True when tap `t` of every window is a real position before the end of the input: the
    /// windows of `ignoreBorder` without padding fit by construction; else constant sizes decide.
    func inBackAlways(_ t: Int) -> Bool {
        if ignoreBorder && pad == 0 { return true }
        guard let n = n.constantValue, let m = m.constantValue else { return false }
        return (m - 1) * stride + t - pad < n
    }

    /// The real position of window `o`'s first tap (`o·stride - pad`, possibly negative).
    func start(_ o: KExpr) -> KExpr {
        IndexMath.add(IndexMath.mul(o, .intConstant(Int64(stride))), .intConstant(Int64(-pad)))
    }

    /// Tap `t` of window `o`: the real position `o·stride + t - pad` clamped into the input, and
    /// whether it is inside (nil: always).
    func tap(_ o: KExpr, _ t: Int, _ e: inout KernelEmitter) -> PoolTap {
        let raw = PoolIndex.add(start(o), .intConstant(Int64(t)))
        var tap = PoolTap(index: raw, valid: nil)
        if !inFrontAlways(t) {
            tap.require(.op(.ge, [raw, .intConstant(0)]))
            tap.index = .index(.max, tap.index, .intConstant(0))
        }
        if !inBackAlways(t) {
            let extent = e.dim(n)
            tap.require(.op(.lt, [raw, extent]))
            tap.index = .index(.min, tap.index, IndexMath.sub(extent, .intConstant(1)))
        }
        return tap
    }

    /// The candidate-th window containing input position `p` (latest window first): its index
    /// clamped into the output, the position's tap in it, and whether the window exists.
    func window(containing p: KExpr, candidate k: Int, _ e: inout KernelEmitter) -> (PoolTap, tap: KExpr) {
        let q = PoolIndex.add(p, .intConstant(Int64(pad))), s = Int64(stride)
        let o = PoolIndex.add(PoolIndex.floorDiv(q, s), .intConstant(Int64(-k)))
        let t = PoolIndex.add(PoolIndex.floorMod(q, s), .intConstant(Int64(k * stride)))
        var window = PoolTap(index: o, valid: nil)
        if (k + 1) * stride > size { window.require(.op(.lt, [t, .intConstant(Int64(size))])) }
        if k > 0 {
            window.require(.op(.ge, [o, .intConstant(0)]))
            window.index = .index(.max, window.index, .intConstant(0))
        }
        if !lastWindowCoversEnd(k) {
            let extent = e.dim(m)
            window.require(.op(.lt, [o, extent]))
            window.index = .index(.min, window.index, IndexMath.sub(extent, .intConstant(1)))
        }
        return (window, t)
    }

    /// True when the sizes prove that the candidate-th window of the last input position exists.
    private func lastWindowCoversEnd(_ k: Int) -> Bool {
        guard let n = n.constantValue, let m = m.constantValue else { return false }
        return (n - 1 + pad) / stride - k < m
    }

    /// The element count an average divides window `o` by, along this axis.
    func divisor(_ o: KExpr, includingPadding: Bool, _ e: inout KernelEmitter) -> KExpr {
        let start = IndexMath.mul(o, .intConstant(Int64(stride)))
        let end = IndexMath.add(start, .intConstant(Int64(size)))
        if includingPadding {
            if ignoreBorder { return .intConstant(Int64(size)) }
            let clipped = KExpr.index(.min, end, IndexMath.add(e.dim(n), .intConstant(Int64(2 * pad))))
            return IndexMath.sub(clipped, start)
        }
        if (0..<size).allSatisfy({ inFrontAlways($0) && inBackAlways($0) }) { return .intConstant(Int64(size)) }
        let realEnd = KExpr.index(.min, end, IndexMath.add(e.dim(n), .intConstant(Int64(pad))))
        return IndexMath.sub(realEnd, .index(.max, start, .intConstant(Int64(pad))))
    }
}

/// A clamped position (always safe to read) and the condition under which it is the real one.
struct PoolTap {
    var index: KExpr
    var valid: KExpr?

    /// Adds a condition the position must also meet.
    mutating func require(_ condition: KExpr) {
        valid = valid.map { .op(.logicalAnd, [$0, condition]) } ?? condition
    }

    /// Both conditions (nil: always true).
    static func both(_ a: KExpr?, _ b: KExpr?) -> KExpr? {
        guard let a else { return b }
        guard let b else { return a }
        return .op(.logicalAnd, [a, b])
    }
}

/// The two pooled axes of one pooling node and the leading indices of the current point.
struct PoolWindows {
    let rows: PoolAxis, columns: PoolAxis
    let lead: [KExpr]
    let mode: PoolMode

    /// The geometry of pooling `x` (of `shape`) with `a` at a point whose leading axes are `lead`.
    init(_ a: Pool2DAttributes, input shape: [Dim], output: [Dim], lead: [KExpr]) {
        let r = shape.count - 2
        rows = PoolAxis(size: a.windowH, stride: a.strideH, pad: a.padH, n: shape[r], m: output[r],
                        ignoreBorder: a.ignoreBorder)
        columns = PoolAxis(size: a.windowW, stride: a.strideW, pad: a.padW, n: shape[r + 1], m: output[r + 1],
                           ignoreBorder: a.ignoreBorder)
        self.lead = lead
        mode = a.mode
    }

    /// The window geometry as index constants (part of cache keys).
    var attributeKey: [KExpr] {
        [rows.size, columns.size, rows.stride, columns.stride, rows.pad, columns.pad, rows.ignoreBorder ? 1 : 0]
            .map { .intConstant(Int64($0)) }
    }

    /// The taps of window (i, j) in row-major order: the point to read and its validity.
    func taps(_ i: KExpr, _ j: KExpr, _ e: inout KernelEmitter) -> [(point: [KExpr], valid: KExpr?)] {
        var result: [(point: [KExpr], valid: KExpr?)] = []
        for a in 0..<rows.size {
            let row = rows.tap(i, a, &e)
            for b in 0..<columns.size {
                let column = columns.tap(j, b, &e)
                result.append((lead + [row.index, column.index], PoolTap.both(row.valid, column.valid)))
            }
        }
        return result
    }
}

/// Index arithmetic of the pooling lowering: `IndexMath` plus constant folding of `(x + c) + d`
/// and the exact identities `(x·m + c) // s = x·(m/s) + c // s`, `(x·m + c) % s = c % s` (s
/// divides m), so the window index of a position `j·s + b` of an unrolled loop is just `j`.
enum PoolIndex {
    /// `a + b`, folding a constant into a constant term of `a`.
    static func add(_ a: KExpr, _ b: KExpr) -> KExpr {
        if case .index(.add, let x, .intConstant(let c)) = a, case .intConstant(let d) = b {
            return IndexMath.add(x, .intConstant(c &+ d))
        }
        return IndexMath.add(a, b)
    }

    /// `a // s` (s > 0).
    static func floorDiv(_ a: KExpr, _ s: Int64) -> KExpr {
        guard let (x, m, c) = affine(a), m % s == 0 else { return IndexMath.floorDiv(a, .intConstant(s)) }
        return IndexMath.add(IndexMath.mul(x, .intConstant(m / s)), .intConstant(floor(c, s)))
    }

    /// `a % s` (s > 0).
    static func floorMod(_ a: KExpr, _ s: Int64) -> KExpr {
        guard let (_, m, c) = affine(a), m % s == 0 else { return IndexMath.floorMod(a, .intConstant(s)) }
        return .intConstant(c - s * floor(c, s))
    }

    /// `a` as `x·m + c` with constants m ≠ 0 and c.
    private static func affine(_ a: KExpr) -> (KExpr, Int64, Int64)? {
        if case .index(.mul, let x, .intConstant(let m)) = a, m != 0 { return (x, m, 0) }
        if case .index(.add, .index(.mul, let x, .intConstant(let m)), .intConstant(let c)) = a, m != 0 {
            return (x, m, c)
        }
        return nil
    }

    /// Floor division of constants (s > 0).
    private static func floor(_ c: Int64, _ s: Int64) -> Int64 {
        let q = c / s
        return c % s != 0 && c < 0 ? q - 1 : q
    }
}
