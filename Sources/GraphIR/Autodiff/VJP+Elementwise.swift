extension VJP {
    /// Contributions of an elementwise node's inputs (all have the node's shape).
    ///
    /// `y` is the node itself, `x` (or `a`, `b`) its inputs; each arm states the derivative.
    static func elementwise(_ op: ScalarOp, _ y: Node, _ g: Node) -> [Node?] {
        let b = Builder(y), x = y.inputs[0]
        switch op {
        case .neg: return [b.neg(g)]
        case .exp: return [b.mul(g, y)]                                              // e^x = y
        case .log: return [b.div(g, x)]                                              // 1/x
        case .log1p: return [b.div(g, b.add(b.scalar(1, like: x), x))]              // 1/(1+x)
        case .expm1: return [b.mul(g, b.add(y, b.scalar(1, like: y)))]              // e^x = y+1
        case .sqrt: return [b.div(g, b.mul(b.scalar(2, like: y), y))]               // 1/(2y)
        case .abs: return [b.mul(g, b.unary(.sign, x))]                             // sign x
        case .sign: return [b.zeros(like: x)]                                        // 0 a.e.
        case .tanh: return [b.mul(g, b.sub(b.scalar(1, like: y), b.mul(y, y)))]     // 1-y²
        case .sigmoid: return [b.mul(b.mul(g, y), b.sub(b.scalar(1, like: y), y))]  // y(1-y)
        case .softplus: return [b.mul(g, b.unary(.sigmoid, x))]                     // σ(x)
        case .relu: return [b.mul(g, b.mask(b.binary(.gt, x, b.scalar(0, like: x)), like: g))]
        case .erf: return [b.mul(g, erfDerivative(x, b))]
        case .cast: return [x.type.dtype.isFloatingPoint ? Build.cast(g, to: x.type.dtype, at: b.loc) : nil]
        case .add: return [g, g]
        case .sub: return [g, b.neg(g)]
        case .mul: return [b.mul(g, y.inputs[1]), b.mul(g, x)]
        case .div: return [b.div(g, y.inputs[1]), b.neg(b.div(b.mul(g, y), y.inputs[1]))]  // -g·(a/b)/b
        case .pow: return pow(y, g, b)
        case .maximum: return extremum(y, g, b, first: .ge, second: .lt)            // ties → a
        case .minimum: return extremum(y, g, b, first: .le, second: .gt)
        case .logicalNot: return [nil]
        case .eq, .neq, .lt, .le, .gt, .ge, .logicalAnd, .logicalOr: return [nil, nil]
        case .select: return select(y, g, b)
        case .clip: return clip(y, g, b)
        }
    }

    /// erf'(x) = 2/√π · exp(-x²).
    private static func erfDerivative(_ x: Node, _ b: Builder) -> Node {
        let twoOverSqrtPi = 1.1283791670955126
        return b.mul(b.scalar(twoOverSqrtPi, like: x), b.unary(.exp, b.neg(b.mul(x, x))))
    }

    /// y = a^b: da = g·b·a^(b-1), db = g·y·log(a) (NaN for a ≤ 0, as in Theano).
    private static func pow(_ y: Node, _ g: Node, _ b: Builder) -> [Node?] {
        let base = y.inputs[0], exponent = y.inputs[1]
        let powMinusOne = b.binary(.pow, base, b.sub(exponent, b.scalar(1, like: exponent)))
        return [b.mul(b.mul(g, exponent), powMinusOne),
                b.mul(b.mul(g, y), b.unary(.log, base))]
    }

    /// maximum/minimum: a gets g where `first(a, b)` holds, b where `second(a, b)` holds.
    private static func extremum(_ y: Node, _ g: Node, _ b: Builder, first: ScalarOp, second: ScalarOp) -> [Node?] {
        let lhs = y.inputs[0], rhs = y.inputs[1]
        return [b.mul(g, b.mask(b.binary(first, lhs, rhs), like: g)),
                b.mul(g, b.mask(b.binary(second, lhs, rhs), like: g))]
    }

    /// select(c, a, b): a gets select(c, g, 0), b gets select(c, 0, g); c is not differentiable.
    private static func select(_ y: Node, _ g: Node, _ b: Builder) -> [Node?] {
        let cond = y.inputs[0], zero = b.scalar(0, like: g)
        return [nil, Build.select(cond, g, zero, at: b.loc), Build.select(cond, zero, g, at: b.loc)]
    }

    /// clip(x, lo, hi): x gets g where lo ≤ x ≤ hi, lo where x < lo, hi where x > hi.
    private static func clip(_ y: Node, _ g: Node, _ b: Builder) -> [Node?] {
        let x = y.inputs[0], lo = y.inputs[1], hi = y.inputs[2]
        let inside = b.binary(.logicalAnd, b.binary(.ge, x, lo), b.binary(.le, x, hi))
        return [b.mul(g, b.mask(inside, like: g)),
                b.mul(g, b.mask(b.binary(.lt, x, lo), like: g)),
                b.mul(g, b.mask(b.binary(.gt, x, hi), like: g))]
    }
}
