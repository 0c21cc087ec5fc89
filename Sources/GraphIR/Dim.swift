/// A named unknown size, e.g. the batch size of an input declared with `nil`.
///
/// Symbols compare by `id`; `hint` is only for printing (`?x0`).
public struct DimSymbol: Sendable, Hashable, Comparable, CustomStringConvertible {
    package let id: Int
    package let hint: String

    package init(id: Int, hint: String) {
        self.id = id
        self.hint = hint
    }

    public static func < (a: DimSymbol, b: DimSymbol) -> Bool { a.id < b.id }
    public var description: String { "?\(hint)" }
}

/// The size of one axis: a constant or a small integer expression over symbols.
///
/// Smart constructors (`+`, `*`, `floorDiv`, `max`, `min`) fold constants and normalise
/// sums and products, so `(?n*784)/784` is `?n`, `?n+1-1` is `?n`, and equal sizes compare equal.
public indirect enum Dim: Sendable, Hashable, CustomStringConvertible {
    case constant(Int)
    case symbol(DimSymbol)
    case sum(Dim, Dim)
    case product(Dim, Dim)
    case quotient(Dim, Dim)
    case maximum(Dim, Dim)
    case minimum(Dim, Dim)

    /// The constant value, if this dim is a constant.
    public var constantValue: Int? {
        if case .constant(let v) = self { return v }
        return nil
    }

    /// True if the dim is the constant 1 (a broadcastable axis).
    public var isOne: Bool { constantValue == 1 }

    /// Evaluates the dim with symbol bindings; nil if a symbol is unbound.
    public func evaluate(_ bindings: [DimSymbol: Int]) -> Int? {
        switch self {
        case .constant(let v): return v
        case .symbol(let s): return bindings[s]
        case .sum(let a, let b): return Self.both(a, b, bindings).map { $0 + $1 }
        case .product(let a, let b): return Self.both(a, b, bindings).map { $0 * $1 }
        case .quotient(let a, let b):
            guard let (x, y) = Self.both(a, b, bindings), y != 0 else { return nil }
            return Int((Double(x) / Double(y)).rounded(.down))
        case .maximum(let a, let b): return Self.both(a, b, bindings).map { Swift.max($0, $1) }
        case .minimum(let a, let b): return Self.both(a, b, bindings).map { Swift.min($0, $1) }
        }
    }

    private static func both(_ a: Dim, _ b: Dim, _ env: [DimSymbol: Int]) -> (Int, Int)? {
        guard let x = a.evaluate(env), let y = b.evaluate(env) else { return nil }
        return (x, y)
    }

    /// The symbols this dim mentions.
    public var symbols: Set<DimSymbol> {
        switch self {
        case .constant: return []
        case .symbol(let s): return [s]
        case .sum(let a, let b), .product(let a, let b), .quotient(let a, let b),
             .maximum(let a, let b), .minimum(let a, let b):
            return a.symbols.union(b.symbols)
        }
    }

    public var description: String { rendered { $0.description } }

    /// The text form with symbols named by `name`: `(?n-1)`, `(784*?n)`, `max(0,?n)`.
    package func rendered(_ name: (DimSymbol) -> String) -> String {
        switch self {
        case .constant(let v): return String(v)
        case .symbol(let s): return name(s)
        case .sum:
            var parts = summands
            if let i = parts.firstIndex(where: { $0.coefficientAndMonomial.0 > 0 }) {
                parts.insert(parts.remove(at: i), at: 0)   // lead with a positive term
            }
            var text = parts[0].rendered(name)
            for part in parts.dropFirst() {
                let (c, m) = part.coefficientAndMonomial
                text += c < 0 ? "-" + (Dim.constant(-c) * m).rendered(name) : "+" + part.rendered(name)
            }
            return "(\(text))"
        case .product:
            return "(" + factorList.map { $0.rendered(name) }.joined(separator: "*") + ")"
        case .quotient(let a, let b): return "(\(a.rendered(name))/\(b.rendered(name)))"
        case .maximum(let a, let b): return "max(\(a.rendered(name)),\(b.rendered(name)))"
        case .minimum(let a, let b): return "min(\(a.rendered(name)),\(b.rendered(name)))"
        }
    }

    /// The operands of nested sums, left to right.
    private var summands: [Dim] {
        if case .sum(let a, let b) = self { return a.summands + b.summands }
        return [self]
    }

    /// The operands of nested products, left to right.
    private var factorList: [Dim] {
        if case .product(let a, let b) = self { return a.factorList + b.factorList }
        return [self]
    }
}

// MARK: - Smart constructors

extension Dim {
    /// Sum; flattens nested sums, folds constants and combines like terms (`?n + -1 + 1` is `?n`).
    public static func + (a: Dim, b: Dim) -> Dim {
        switch (a, b) {
        case (.constant(let x), .constant(let y)): return .constant(x + y)
        case (.constant(0), _): return b
        case (_, .constant(0)): return a
        default: return fromTerms(a.terms + b.terms)
        }
    }

    public static func - (a: Dim, b: Dim) -> Dim {
        if a == b { return .constant(0) }
        return a + .constant(-1) * b
    }

    public static func * (a: Dim, b: Dim) -> Dim {
        let (ca, fa) = a.factors, (cb, fb) = b.factors
        return Dim.fromFactors(ca * cb, fa + fb)
    }

    /// Floor division (case `quotient`); cancels a constant divisor against a product's constant coefficient.
    public static func floorDiv(_ a: Dim, _ b: Dim) -> Dim {
        if case .constant(1) = b { return a }
        if case .constant(let x) = a, case .constant(let y) = b, y != 0 {
            return .constant(Int((Double(x) / Double(y)).rounded(.down)))
        }
        let (ca, fa) = a.factors, (cb, fb) = b.factors
        // Cancel common symbolic factors, then constant coefficients if they divide.
        var remaining = fa
        var leftover: [Dim] = []
        for f in fb {
            if let i = remaining.firstIndex(of: f) { remaining.remove(at: i) } else { leftover.append(f) }
        }
        if leftover.isEmpty, cb != 0, ca % cb == 0 { return fromFactors(ca / cb, remaining) }
        if a == b { return .constant(1) }
        return .quotient(a, b)
    }

    /// Ceiling division `(a + b - 1) / b` for positive `b`.
    public static func ceilDiv(_ a: Dim, _ b: Dim) -> Dim { floorDiv(a + b - .constant(1), b) }

    public static func max(_ a: Dim, _ b: Dim) -> Dim {
        if a == b { return a }
        if a == .constant(0), b.isKnownNonNegative { return b }
        if b == .constant(0), a.isKnownNonNegative { return a }
        if case .constant(let x) = a, case .constant(let y) = b { return .constant(Swift.max(x, y)) }
        return .maximum(a, b)
    }

    public static func min(_ a: Dim, _ b: Dim) -> Dim {
        if a == b { return a }
        if a == .constant(0), b.isKnownNonNegative { return a }
        if b == .constant(0), a.isKnownNonNegative { return b }
        if case .constant(let x) = a, case .constant(let y) = b { return .constant(Swift.min(x, y)) }
        return .minimum(a, b)
    }

    /// The product of `dims` (1 for none).
    public static func product(of dims: [Dim]) -> Dim { dims.reduce(.constant(1), *) }

    /// A deterministic sort key that, unlike `description`, tells apart symbols with equal hints.
    private var orderKey: String {
        switch self {
        case .constant(let v): return String(v)
        case .symbol(let s): return "?\(s.hint)#\(s.id)"
        case .sum(let a, let b): return "(\(a.orderKey)+\(b.orderKey))"
        case .product(let a, let b): return "(\(a.orderKey)*\(b.orderKey))"
        case .quotient(let a, let b): return "(\(a.orderKey)/\(b.orderKey))"
        case .maximum(let a, let b): return "max(\(a.orderKey),\(b.orderKey))"
        case .minimum(let a, let b): return "min(\(a.orderKey),\(b.orderKey))"
        }
    }

    /// A constant coefficient and the rest of a product (`784*?n` → (784, ?n); `?n` → (1, ?n)).
    package var coefficientAndMonomial: (Int, Dim) {
        let (c, fs) = factors
        return (c, Dim.fromFactors(1, fs))
    }

    /// The summands of a sum, each split into coefficient and monomial (a constant has monomial 1).
    private var terms: [(Int, Dim)] {
        if case .sum(let a, let b) = self { return a.terms + b.terms }
        return [coefficientAndMonomial]
    }

    /// Rebuilds a sum from terms: like monomials combined, zero terms dropped, sorted, constant last.
    private static func fromTerms(_ terms: [(Int, Dim)]) -> Dim {
        var constant = 0
        var coefficients: [Dim: Int] = [:]
        for (c, m) in terms {
            if m == .constant(1) { constant += c } else { coefficients[m, default: 0] += c }
        }
        let monomials = coefficients.filter { $0.value != 0 }.sorted { $0.key.orderKey < $1.key.orderKey }
        var result: Dim? = nil
        for (m, c) in monomials {
            let term = Dim.constant(c) * m
            result = result.map { .sum($0, term) } ?? term
        }
        guard let result else { return .constant(constant) }
        return constant == 0 ? result : .sum(result, .constant(constant))
    }

    /// A constant coefficient and the sorted non-constant factors of a product.
    private var factors: (Int, [Dim]) {
        switch self {
        case .constant(let v): return (v, [])
        case .product(let a, let b):
            let (ca, fa) = a.factors, (cb, fb) = b.factors
            return (ca * cb, fa + fb)
        default: return (1, [self])
        }
    }

    private static func fromFactors(_ c: Int, _ fs: [Dim]) -> Dim {
        if c == 0 { return .constant(0) }
        let sorted = fs.sorted { $0.orderKey < $1.orderKey }
        var result: Dim? = c == 1 ? nil : .constant(c)
        for f in sorted { result = result.map { .product($0, f) } ?? f }
        return result ?? .constant(1)
    }
}

extension Dim: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .constant(value) }
}
