import TensorRuntime

extension Build {
    /// numpy `dot` for ranks ≤ 2 (dtypes promoted); higher ranks are an error naming both shapes.
    ///
    /// A scalar operand makes it a plain (broadcast) multiplication, as in numpy.
    package static func dot(_ a: Node, _ b: Node, at loc: SourceLocation) -> Node {
        if a.type.rank == 0 || b.type.rank == 0 { return binary(.mul, a, b, at: loc) }
        guard a.type.rank <= 2, b.type.rank <= 2 else {
            let message = "shapes \(a.type) and \(b.type) do not fit: dot takes ranks up to 2 (use batchedDot or reshape)"
            return failure(GraphError(.shape, op: "dot", message), [a, b], at: loc)
        }
        let (pa, pb) = promotedPair(a, b, at: loc)
        return Node.make(.dot, [pa, pb], at: loc)
    }

    /// (b,m,k)·(b,k,n) → (b,m,n).
    package static func batchedDot(_ a: Node, _ b: Node, at loc: SourceLocation) -> Node {
        let (pa, pb) = promotedPair(a, b, at: loc)
        return Node.make(.batchedDot, [pa, pb], at: loc)
    }

    /// Outer product of two vectors (composite: dimshuffle + mul); other ranks are flattened first.
    package static func outer(_ a: Node, _ b: Node, at loc: SourceLocation) -> Node {
        let column = dimshuffle(flatten(a, outdim: 1, at: loc), [0, nil], at: loc)
        let row = dimshuffle(flatten(b, outdim: 1, at: loc), [nil, 0], at: loc)
        return binary(.mul, column, row, at: loc)
    }

    /// Both operands cast to their promoted dtype (int64 instead of bool).
    private static func promotedPair(_ a: Node, _ b: Node, at loc: SourceLocation) -> (Node, Node) {
        let dtype = operandDType(.mul, [a.type.dtype, b.type.dtype])
        return (cast(a, to: dtype, at: loc), cast(b, to: dtype, at: loc))
    }
}
