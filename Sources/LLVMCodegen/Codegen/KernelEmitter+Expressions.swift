import CLLVM
import GraphIR
import KernelIR
import TensorRuntime

extension KernelEmitter {
    /// The dtype of an expression in the current scope.
    func dtype(_ e: KExpr) -> DType {
        e.dtype(values: dtypes, buffers: kernel.buffers)
    }

    /// The value of an expression; identical subtrees of one statement are emitted once.
    func expression(_ e: KExpr) -> IRValue {
        switch e {
        case .constant(let value, let dtype): return b.constant(value, dtype)
        case .intConstant(let value): return b.i64(value)
        case .param(let k): return frame.params[k]
        case .value(let id): return lookup(id)
        case .load, .op, .index: break
        }
        if let known = frame.memo[e] { return known }
        let value: IRValue
        switch e {
        case .load(let buffer, let index):
            let dtype = kernel.buffers[buffer].dtype
            let address = b.elementPointer(b.memoryType(dtype), frame.buffers[buffer], expression(index))
            value = b.loadElement(dtype, from: address)
        case .op(let op, let operands):
            let values = operands.map(expression)
            value = ScalarOpEmitter(b: b).emit(op, values, types: operands.map(dtype), result: dtype(e))
        case .index(let op, let x, let y):
            value = indexOp(op, expression(x), expression(y))
        case .constant, .intConstant, .param, .value:
            preconditionFailure("leaf expressions return above")
        }
        frame.memo[e] = value
        return value
    }

    /// int64 arithmetic: wrapping, with floor division and modulo (0 for a zero divisor),
    /// bitwise ops, shifts by the amount modulo 64 (never LLVM's poison shift of ≥ 64).
    private func indexOp(_ op: IndexOp, _ x: IRValue, _ y: IRValue) -> IRValue {
        let int = IntegerMath(b: b)
        switch op {
        case .add: return b.add(x, y)
        case .sub: return b.sub(x, y)
        case .mul: return b.mul(x, y)
        case .floorDiv: return int.floorDivide(x, y)
        case .floorMod: return int.floorModulo(x, y)
        case .min: return int.min(x, y)
        case .max: return int.max(x, y)
        case .bitAnd: return b.and(x, y)
        case .bitOr: return b.or(x, y)
        case .bitXor: return b.xor(x, y)
        case .shiftLeft: return b.shl(x, b.and(y, b.i64(63)))
        case .shiftRightLogical: return b.lshr(x, b.and(y, b.i64(63)))
        }
    }
}
