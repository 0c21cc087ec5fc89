import TensorRuntime

extension TypeRule {
    /// `.dot` for ranks 1 and 2: (k)(k)→(), (m,k)(k)→(m), (k)(k,n)→(n), (m,k)(k,n)→(m,n).
    func dot() throws(GraphError) -> TensorType {
        try arity(2)
        let (a, b) = (inputs[0], inputs[1])
        let dtype = try linalgDType(a, b)
        guard (1...2).contains(a.rank), (1...2).contains(b.rank) else {
            throw error(.shape, "shapes \(a) and \(b) do not fit: dot takes ranks 1 and 2")
        }
        let inner = a.shape[a.rank - 1], other = b.shape[0]
        guard Dim.unify(inner, other) != nil else {
            throw error(.shape, "shapes \(a) and \(b) do not align: \(inner) != \(other)")
        }
        let rows = a.rank == 2 ? [a.shape[0]] : []
        let columns = b.rank == 2 ? [b.shape[1]] : []
        return TensorType(dtype, rows + columns)
    }

    /// `.batchedDot`: (b,m,k)(b,k,n)→(b,m,n).
    func batchedDot() throws(GraphError) -> TensorType {
        try arity(2)
        let (a, b) = (inputs[0], inputs[1])
        let dtype = try linalgDType(a, b)
        guard a.rank == 3, b.rank == 3 else {
            throw error(.shape, "shapes \(a) and \(b) do not fit: batchedDot takes two rank-3 tensors")
        }
        guard let batch = Dim.unify(a.shape[0], b.shape[0]) else {
            throw error(.shape, "shapes \(a) and \(b) have different batch sizes: \(a.shape[0]) != \(b.shape[0])")
        }
        guard Dim.unify(a.shape[2], b.shape[1]) != nil else {
            throw error(.shape, "shapes \(a) and \(b) do not align: \(a.shape[2]) != \(b.shape[1])")
        }
        return TensorType(dtype, [batch, a.shape[1], b.shape[2]])
    }

    /// `.gemm`: c (m,n), alpha (), a (m,k) or (k,m) if transA, b (k,n) or (n,k) if transB,
    /// beta (); all of one float dtype. The result has c's type.
    func gemm(transA: Bool, transB: Bool) throws(GraphError) -> TensorType {
        try arity(5)
        let (c, alpha, a, b, beta) = (inputs[0], inputs[1], inputs[2], inputs[3], inputs[4])
        let dtype = try sharedDType(inputs)
        guard dtype.isFloatingPoint else { throw error(.dtype, "needs float operands, got \(c), \(a), \(b)") }
        guard alpha.rank == 0, beta.rank == 0 else {
            throw error(.shape, "alpha and beta must be scalars, got \(alpha) and \(beta)")
        }
        guard a.rank == 2, b.rank == 2, c.rank == 2 else {
            throw error(.shape, "shapes \(c), \(a) and \(b) do not fit: gemm takes matrices")
        }
        let (m, k) = transA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (k2, n) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        guard Dim.unify(k, k2) != nil else {
            throw error(.shape, "shapes \(a) and \(b) do not align: \(k) != \(k2)")
        }
        guard Dim.unify(c.shape[0], m) != nil, Dim.unify(c.shape[1], n) != nil else {
            throw error(.shape, "accumulator \(c) does not fit the product's shape [\(m),\(n)]")
        }
        return c
    }

    /// The shared non-bool dtype of a matrix product.
    private func linalgDType(_ a: TensorType, _ b: TensorType) throws(GraphError) -> DType {
        let dtype = try sharedDType([a, b])
        guard dtype != .bool else { throw error(.dtype, "does not take bool operands: \(a), \(b)") }
        return dtype
    }
}
