/// Agreement between sizes that must be equal, shared by every type rule.
extension Dim {
    /// The dim two sizes that must be equal agree on, or nil if they provably differ.
    ///
    /// Constant/constant must be equal; constant vs symbolic gives the constant and symbolic vs
    /// symbolic the first (both are checked at run time). Symbolic sizes whose difference is a
    /// nonzero constant (`?n+1` vs `?n`) provably differ.
    package static func unify(_ a: Dim, _ b: Dim) -> Dim? {
        switch (a.constantValue, b.constantValue) {
        case let (x?, y?): return x == y ? a : nil
        case (.some, nil): return a
        case (nil, .some): return b
        case (nil, nil):
            if let difference = (a - b).constantValue, difference != 0 { return nil }
            return a
        }
    }

    /// True when the dim cannot be negative for any (non-negative) symbol values.
    package var isKnownNonNegative: Bool {
        switch self {
        case .constant(let v): return v >= 0
        case .symbol: return true
        case .sum(let a, let b), .product(let a, let b), .quotient(let a, let b), .minimum(let a, let b):
            return a.isKnownNonNegative && b.isKnownNonNegative
        case .maximum(let a, let b): return a.isKnownNonNegative || b.isKnownNonNegative
        }
    }

    /// True when two element counts cannot be equal: different constants, or the same monomial
    /// with different constant coefficients (`784*?n` vs `785*?n`; an empty batch is not
    /// considered a way out).
    package static func provablyDiffer(_ a: Dim, _ b: Dim) -> Bool {
        if let x = a.constantValue, let y = b.constantValue { return x != y }
        let (ca, ma) = a.coefficientAndMonomial, (cb, mb) = b.coefficientAndMonomial
        if ma == mb { return ca != cb }
        if let difference = (a - b).constantValue { return difference != 0 }
        return false
    }
}
