/// Hash-consing for the rewrite driver: structurally equal nodes become one node.
///
/// A node's key is its op and the identities of its inputs (unordered for commutative
/// elementwise ops, so `a+b` and `b+a` merge); `.input` leaves are keyed by identity. The
/// first node seen with a key is kept. Every key's input identities stay valid because the
/// table holds the kept node, which holds its inputs.
struct HashConsTable {
    private enum Key: Hashable {
        case identity(ObjectIdentifier)
        case ordered(Op, [ObjectIdentifier])
        case unordered(Op, Set<ObjectIdentifier>)
    }

    private var table: [Key: Node] = [:]

    /// The node already in the table equal to `node`, or `node` itself after recording it.
    mutating func intern(_ node: Node) -> Node {
        let key = Self.key(node)
        if let existing = table[key] { return existing }
        table[key] = node
        return node
    }

    private static func key(_ node: Node) -> Key {
        if case .input = node.op { return .identity(ObjectIdentifier(node)) }
        let ids = node.inputs.map(ObjectIdentifier.init)
        if case .elementwise(let op) = node.op, op.isCommutative, ids.count == 2, ids[0] != ids[1] {
            return .unordered(node.op, Set(ids))
        }
        return .ordered(node.op, ids)
    }
}

extension ScalarOp {
    /// True for binary ops whose operands may be swapped.
    var isCommutative: Bool {
        switch self {
        case .add, .mul, .maximum, .minimum, .eq, .neq, .logicalAnd, .logicalOr: return true
        case .neg, .exp, .log, .log1p, .expm1, .sqrt, .abs, .sign, .tanh, .sigmoid, .softplus, .relu, .erf,
             .logicalNot, .cast, .sub, .div, .pow, .lt, .le, .gt, .ge, .select, .clip:
            return false
        }
    }
}
