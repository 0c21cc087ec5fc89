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

    /// The shared non-bool dtype of a matrix product.
    private func linalgDType(_ a: TensorType, _ b: TensorType) throws(GraphError) -> DType {
        let dtype = try sharedDType([a, b])
        guard dtype != .bool else { throw error(.dtype, "does not take bool operands: \(a), \(b)") }
        return dtype
    }
}
