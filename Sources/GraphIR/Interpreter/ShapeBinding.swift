import TensorRuntime

/// Matching concrete run-time shapes against symbolic `Dim`s: checks dims that evaluate and
/// binds symbols that do not yet have a size.
package enum ShapeBinding {
    /// Binds unbound symbols so that `dims` evaluate to `shape` where it can (a plain symbol,
    /// or a sum/product with one unbound symbol) and checks every dim that evaluates.
    /// Returns false on a rank or size mismatch; `bindings` may then be partially updated.
    package static func unify(_ dims: [Dim], with shape: [Int], bindings: inout [DimSymbol: Int]) -> Bool {
        guard dims.count == shape.count else { return false }
        var pending = Array(zip(dims, shape))
        var progress = true
        while progress, !pending.isEmpty {
            progress = false
            var stillPending: [(Dim, Int)] = []
            for (dim, size) in pending {
                if let value = dim.evaluate(bindings) {
                    guard value == size else { return false }
                    progress = true
                } else if let solved = solve(dim, equals: size, bindings: &bindings) {
                    guard solved else { return false }
                    progress = true
                } else {
                    stillPending.append((dim, size))
                }
            }
            pending = stillPending
        }
        return true
    }

    /// Solves `dim == value` for its one unbound symbol: true if bound, false if no
    /// non-negative integer solution exists, nil if the form is not solvable here.
    private static func solve(_ dim: Dim, equals value: Int, bindings: inout [DimSymbol: Int]) -> Bool? {
        switch dim {
        case .constant(let c):
            return c == value
        case .symbol(let s):
            if let bound = bindings[s] { return bound == value }
            guard value >= 0 else { return false }
            bindings[s] = value
            return true
        case .sum(let a, let b):
            if let x = a.evaluate(bindings) { return solve(b, equals: value - x, bindings: &bindings) }
            if let y = b.evaluate(bindings) { return solve(a, equals: value - y, bindings: &bindings) }
            return nil
        case .product(let a, let b):
            if let x = a.evaluate(bindings) { return solveFactor(b, x, value, &bindings) }
            if let y = b.evaluate(bindings) { return solveFactor(a, y, value, &bindings) }
            return nil
        case .quotient, .maximum, .minimum:
            return nil
        }
    }

    /// Solves `known * dim == value`.
    private static func solveFactor(_ dim: Dim, _ known: Int, _ value: Int,
                                    _ bindings: inout [DimSymbol: Int]) -> Bool? {
        if known == 0 { return value == 0 ? nil : false }
        guard value % known == 0 else { return false }
        return solve(dim, equals: value / known, bindings: &bindings)
    }

    /// `?n = 4, ?m = 2` for the symbols of `dims` that are bound (empty if none).
    package static func describeBindings(of dims: [Dim], _ bindings: [DimSymbol: Int]) -> String {
        let symbols = dims.reduce(into: Set<DimSymbol>()) { $0.formUnion($1.symbols) }.sorted()
        let parts = symbols.compactMap { s in bindings[s].map { "\(s) = \($0)" } }
        return parts.isEmpty ? "" : " with " + parts.joined(separator: ", ")
    }

    /// `[2, 3]` for a concrete shape.
    package static func describe(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }
}
