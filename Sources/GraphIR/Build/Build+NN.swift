import TensorRuntime

extension Build {
    /// Numerically stable softmax along `axis` (negative counts from the end).
    package static func softmax(_ x: Node, axis: Int, at loc: SourceLocation) -> Node {
        softmaxLike(x, axis: axis, log: false, at: loc)
    }

    /// Numerically stable log-softmax along `axis`.
    package static func logSoftmax(_ x: Node, axis: Int, at loc: SourceLocation) -> Node {
        softmaxLike(x, axis: axis, log: true, at: loc)
    }

    /// softmax / logSoftmax of x cast to floatX if it is not float.
    private static func softmaxLike(_ x: Node, axis: Int, log: Bool, at loc: SourceLocation) -> Node {
        let xf = x.type.dtype.isFloatingPoint ? x : cast(x, to: DType.floatX, at: loc)
        do {
            let a = try normalizeAxis(axis, of: x.type, op: log ? "logSoftmax" : "softmax")
            return Node.make(log ? .logSoftmax(axis: a) : .softmax(axis: a), [xf], at: loc)
        } catch {
            return failure(error, [x], at: loc)
        }
    }

    /// Per-row cross-entropy of probabilities `p` (n,k) with int labels (n) or one-hot /
    /// soft targets (n,k): `-log(p[arange(n), y])` or `-sum(t * log(p), axis: -1)`.
    package static func categoricalCrossentropy(_ p: Node, _ target: Node, at loc: SourceLocation) -> Node {
        let (pt, tt) = (p.type, target.type)
        let op = "categoricalCrossentropy"
        guard pt.dtype.isFloatingPoint else {
            return failure(GraphError(.dtype, op: op, "probabilities must be float, got \(pt)"), [p, target], at: loc)
        }
        if tt.dtype.isInteger, tt.rank == 1, pt.rank == 2 {
            let zero = scalar(0, dtype: .int64, at: loc), one = scalar(1, dtype: .int64, at: loc)
            let rows = arange(zero, dimension(p, axis: 0, at: loc), one, dtype: .int64, at: loc)
            let picked = advancedIndex(p, [rows, target], at: loc)
            return unary(.neg, unary(.log, picked, at: loc), at: loc)
        }
        guard tt.rank == pt.rank, tt.rank >= 1, tt.dtype != .bool else {
            let message = "targets \(tt) do not fit probabilities \(pt): "
                + "give int labels of rank 1 for probabilities of rank 2, or float targets shaped like them"
            return failure(GraphError(.shape, op: op, message), [p, target], at: loc)
        }
        let t = cast(target, to: pt.dtype, at: loc)
        let logLikelihood = binary(.mul, t, unary(.log, p, at: loc), at: loc)
        return unary(.neg, reduce(.sum, logLikelihood, axes: [-1], keepDims: false, at: loc), at: loc)
    }

    /// Elementwise `-(t*log(p) + (1-t)*log(1-p))`. Targets (n) next to predictions (n, 1) are
    /// used as a column (Lasagne's `align_targets`) instead of broadcasting to (n, n).
    package static func binaryCrossentropy(_ p: Node, _ target: Node, at loc: SourceLocation) -> Node {
        let isColumn = p.type.rank == 2 && target.type.rank == 1 && p.type.shape[1].constantValue == 1
        let aligned = isColumn ? dimshuffle(target, [0, nil], at: loc) : target
        let dtype = operandDType(.log, [p.type.dtype, aligned.type.dtype])
        let (pf, t) = (cast(p, to: dtype, at: loc), cast(aligned, to: dtype, at: loc))
        let one = scalar(1, dtype: dtype, at: loc)
        let hit = binary(.mul, t, unary(.log, pf, at: loc), at: loc)
        let miss = binary(.mul, binary(.sub, one, t, at: loc), unary(.log, binary(.sub, one, pf, at: loc), at: loc), at: loc)
        return unary(.neg, binary(.add, hit, miss, at: loc), at: loc)
    }

    /// Identity with a zero gradient.
    package static func stopGradient(_ x: Node, at loc: SourceLocation) -> Node {
        Node.make(.stopGradient, [x], at: loc)
    }
}
