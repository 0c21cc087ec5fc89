import Hypatia

// Lasagne's lasagne.regularization penalties. Layer-based helpers (regularize a layer's or a
// network's parameters) live with the layers; they take one of these as `penalty`.

// `l1` and `l2` take no `file:`/`line:` so they can be passed as `penalty: l2`; their nodes
// carry the location of `x`.

/// The L1 penalty `sum(|x|)` (Lasagne's `l1`).
public func l1(_ x: Variable) -> Variable {
    Variable(Build.reduce(.sum, Build.unary(.abs, x.node, at: x.node.location), axes: nil, keepDims: false,
                          at: x.node.location))
}

/// The L2 penalty `sum(x²)` (Lasagne's `l2`: no factor 1/2).
public func l2(_ x: Variable) -> Variable {
    let loc = x.node.location
    return Variable(Build.reduce(.sum, Build.binary(.mul, x.node, x.node, at: loc), axes: nil, keepDims: false,
                                 at: loc))
}

/// The sum of `penalty` over `tensors` (Lasagne's `apply_penalty`), e.g.
/// `applyPenalty(allParameters(of: net, regularizable: true), l2)`. Zero (float32) for no
/// tensors.
public func applyPenalty(_ tensors: [Variable], _ penalty: (Variable) -> Variable,
                         file: String = #fileID, line: Int = #line) -> Variable {
    let loc = callSite(file, line)
    guard let first = tensors.first else { return constant(0, file: file, line: line) }
    return tensors.dropFirst().reduce(penalty(first)) { elementwise(.add, $0, penalty($1), at: loc) }
}
