import Hypatia

// Lasagne's `squared_error` (lasagne.objectives). The cross-entropies are Hypatia's
// `binaryCrossentropy(_:_:)` (with Lasagne's target alignment) and `categoricalCrossentropy(_:_:)`
// (int labels or one-hot / probability targets), re-exported as they are: redeclaring them
// here would make calls ambiguous for code that imports both Hypatia and HypatiaNN. The graph
// optimizer rewrites their forms over `sigmoid` / `softmax` into stable ones.

/// Elementwise squared difference `(a - b)²` (Lasagne's `squared_error`).
///
/// Predictions of shape (n, 1) with targets of shape (n) are aligned (Lasagne's
/// `align_targets`: the targets become a column instead of broadcasting to (n, n)). Shapes
/// that do not broadcast record a `.shape` error with the caller's line.
public func squaredError(_ a: Variable, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    let loc = callSite(file, line)
    let difference = elementwise(.sub, a, alignTargets(a, b, at: loc), at: loc)
    return elementwise(.mul, difference, difference, at: loc)
}
