import GraphIR
import TensorRuntime

/// Which `random` draws kernels compute inline, and what recomputing one costs.
///
/// A fused `random` computes element i's Philox4x32-10 block in the kernel with int64 loop-IR
/// arithmetic (32-bit words held in int64; `mul` of two words is their exact 64-bit product)
/// and turns it into a draw with the double arithmetic of `RandomSample.draw`: uniform and
/// binomial give the reference interpreter's bits; normal computes `log` and `cos` inline
/// (float64 polynomials, no libm calls, so the loop vectorizes) within a few double ulp of
/// libm's, so float32 normal draws are almost always the reference's floats.
package enum RandomLowering {
    /// The largest binomial `n` drawn inline (one comparison against a constant CDF threshold
    /// per trial); larger `n` runs as a reference step.
    package static let maxInlineTrials = 32

    /// True when kernels draw `a` inline.
    package static func isInline(_ a: RandomAttributes) -> Bool {
        switch a.distribution {
        case .uniform, .normal: return true
        case .binomial(let n, _): return n <= maxInlineTrials
        }
    }

    /// Recompute cost units per element (see `RecomputeCost`): the Philox rounds cost about
    /// one vectorized transcendental; normal adds the log and cosine polynomials.
    static func cost(_ a: RandomAttributes) -> Int {
        switch a.distribution {
        case .uniform: return 4
        case .binomial(let n, _): return 4 + n / 4
        case .normal: return 12
        }
    }

    /// The Philox4x32-10 multipliers and Weyl key increments (Salmon et al., SC'11).
    static let multipliers: (Int64, Int64) = (0xD251_1F53, 0xCD9E_8D57)
    static let keyIncrements: (UInt32, UInt32) = (0x9E37_79B9, 0xBB67_AE85)
}

extension GroupLowering {
    /// `random` at `index`: element `flat(index)` of the node's shape, from the Philox block with
    /// key `seed` and counter `(flat, stream, counter.low, counter.high)`, as `RandomSample.draw`.
    mutating func random(_ node: Node, _ a: RandomAttributes, _ index: EmitIndex) throws -> KExpr {
        try checkExtents(node)
        let counter = try value(node.inputs[0], .scalar)
        let mask = KExpr.intConstant(0xFFFF_FFFF)
        let words = philox(counter: [.index(.bitAnd, index.flat(&e), mask), .intConstant(Int64(a.stream)),
                                     e.bind(.index(.bitAnd, counter, mask), .int64),
                                     e.bind(.index(.shiftRightLogical, counter, .intConstant(32)), .int64)],
                           key: (UInt32(truncatingIfNeeded: a.seed), UInt32(truncatingIfNeeded: a.seed >> 32)))
        let draw = sample(a.distribution, words)
        return a.dtype == .float64 ? draw : .op(.cast(a.dtype), [draw])
    }

    /// Checks at run time that the extent inputs equal the node's dims (as the reference does)
    /// and that one call draws at most 2^32 elements (the 32-bit element counter word); once
    /// per kernel, however many points draw.
    private mutating func checkExtents(_ node: Node) throws {
        let checked = -1   // cache tag of the marker that the checks were emitted
        if e.cached(node, [], tag: checked) != nil { return }
        e.cache(node, [], .intConstant(0), tag: checked)
        let shape = node.type.shape
        for (axis, extent) in node.inputs.dropFirst().enumerated() {
            let v = Self.asInt64(try value(extent, .scalar), extent.type.dtype)
            let declared = e.dim(shape[axis])
            guard v != declared else { continue }
            e.check(IndexMath.sub(v, declared), bound: .intConstant(1), PlanErrorMessage(
                kind: .shape, op: node.op.name, message: "random extent of axis \(axis) differs from its declared size {0}",
                sizes: [shape[axis]], location: node.location))
        }
        e.check(e.dim(Dim.product(of: shape)), bound: .intConstant((1 << 32) + 1), PlanErrorMessage(
            op: node.op.name, message: "{0} random draws exceed the 2^32 elements of one call",
            sizes: [Dim.product(of: shape)], location: node.location))
    }

    /// Philox4x32-10 of four 32-bit words (int64 values in [0, 2^32)) with a constant key:
    /// the four output words. Round keys are folded to constants; each product is let-bound.
    private mutating func philox(counter: [KExpr], key: (UInt32, UInt32)) -> [KExpr] {
        let mask = KExpr.intConstant(0xFFFF_FFFF), thirtyTwo = KExpr.intConstant(32)
        var c = counter, k = key
        for round in 0..<10 {
            if round > 0 {
                k.0 &+= RandomLowering.keyIncrements.0
                k.1 &+= RandomLowering.keyIncrements.1
            }
            let p0 = e.bind(.index(.mul, .intConstant(RandomLowering.multipliers.0), c[0]), .int64)
            let p1 = e.bind(.index(.mul, .intConstant(RandomLowering.multipliers.1), c[2]), .int64)
            func high(_ p: KExpr) -> KExpr { .index(.shiftRightLogical, p, thirtyTwo) }
            func xor3(_ x: KExpr, _ y: KExpr, _ z: UInt32) -> KExpr {
                .index(.bitXor, .index(.bitXor, x, y), .intConstant(Int64(z)))
            }
            c = [xor3(high(p1), c[1], k.0), .index(.bitAnd, p1, mask), xor3(high(p0), c[3], k.1), .index(.bitAnd, p0, mask)]
        }
        return c.map { e.bind($0, .int64) }
    }

    /// `RandomSample.unit`: a double in [0, 1) from the top 53 bits of `high:low`.
    private func unit(_ high: KExpr, _ low: KExpr) -> KExpr {
        let bits = KExpr.index(.bitOr, .index(.shiftLeft, high, .intConstant(32)), low)
        let top = KExpr.index(.shiftRightLogical, bits, .intConstant(11))
        return .op(.mul, [.op(.cast(.float64), [top]), .constant(0x1p-53, .float64)])
    }

    /// The float64 draw of `RandomSample.draw` from the block's words.
    private mutating func sample(_ d: RandomDistribution, _ w: [KExpr]) -> KExpr {
        let u = e.bind(unit(w[0], w[1]), .float64)
        func f(_ x: Double) -> KExpr { .constant(x, .float64) }
        switch d {
        case .uniform(let low, let high):
            return .op(.add, [f(low), .op(.mul, [f(high - low), u])])
        case .normal(let mean, let std):
            let radius = KExpr.op(.sqrt, [.op(.mul, [f(-2), logUnitInterval(e.bind(.op(.sub, [f(1), u]), .float64))])])
            let cosine = cosTwoPi(e.bind(unit(w[2], w[3]), .float64))
            return .op(.add, [f(mean), .op(.mul, [.op(.mul, [f(std), radius]), cosine])])
        case .binomial(let n, let p):
            let thresholds = RandomSample.binomialThresholds(n, p > 0.5 ? 1 - p : p)
            var count = f(0)
            for t in thresholds {
                let hit = KExpr.op(.select, [.op(.ge, [u, f(t)]), f(1), f(0)])
                count = count == f(0) ? hit : .op(.add, [count, hit])
            }
            return p > 0.5 ? .op(.sub, [f(Double(n)), count]) : count
        }
    }
}
