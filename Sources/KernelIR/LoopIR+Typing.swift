import GraphIR
import TensorRuntime

extension KExpr {
    /// The dtype of a well-typed expression, with the dtypes of the values in scope.
    ///
    /// Assumes the kernel verifies (`verifyKernel`); use the verifier to find typing problems.
    package func dtype(values: [ValueID: DType], buffers: [KernelBuffer]) -> DType {
        switch self {
        case .constant(_, let dtype): return dtype
        case .intConstant, .param, .index: return .int64
        case .value(let id):
            guard let dtype = values[id] else { preconditionFailure("\(id) is not defined") }
            return dtype
        case .load(let buffer, _): return buffers[buffer].dtype
        case .op(let op, let operands):
            switch op.dtypeRule {
            case .arithmetic, .float, .clip: return operands[0].dtype(values: values, buffers: buffers)
            case .comparison, .logical: return .bool
            case .select: return operands[1].dtype(values: values, buffers: buffers)
            case .cast(let dtype): return dtype
            }
        }
    }

    /// The dtype whose arithmetic lane `op` computes in: its operands' (for `select`, the
    /// value operands').
    package static func laneDType(_ op: ScalarOp, _ operandTypes: [DType]) -> DType {
        op == .select ? operandTypes[1] : operandTypes[0]
    }
}

extension KStmt {
    /// The values a statement defines in its enclosing scope (an assignment's id, a loop's
    /// carried values).
    package var definedValues: [(ValueID, DType)] {
        switch self {
        case .assign(let id, let dtype, _): return [(id, dtype)]
        case .loop(let loop): return loop.carried.map { ($0.id, $0.dtype) }
        case .store, .yield, .checkIndex: return []
        }
    }
}

extension Kernel {
    /// The check codes of every `checkIndex` in the kernel, in order of appearance.
    package var checkCodes: [Int32] {
        var codes: [Int32] = []
        func visit(_ body: [KStmt]) {
            for stmt in body {
                switch stmt {
                case .loop(let loop): visit(loop.body)
                case .checkIndex(_, _, let code): codes.append(code)
                case .assign, .store, .yield: break
                }
            }
        }
        visit(body)
        return codes
    }
}
