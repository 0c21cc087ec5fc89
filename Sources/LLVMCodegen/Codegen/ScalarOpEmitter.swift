import CLLVM
import GraphIR
import KernelIR
import TensorRuntime

/// A ScalarOp's raw result before conversion to the op's dtype.
enum LaneValue {
    /// A float in the lane's own type (`float` for float32, `double` for float64).
    case float(IRValue, DType)
    /// A value of the int64 lane (`i64`, wrapping).
    case int(IRValue)
    /// An `i1` (comparisons and logical ops).
    case truth(IRValue)
}

/// Lowers one `ScalarOp` application with GraphIR's reference semantics (`ScalarMath`).
///
/// Like the reference, an op computes in the lane of its operands' dtype and the result is
/// converted to the op's dtype at once. The float lane computes in the operands' own float
/// type: for float32 that equals computing in Double and rounding wherever the reference is
/// exact (+ - * / sqrt, comparisons, min/max, sign, ...); float32 transcendentals come from
/// `MathEmitter` (inline, vectorizable, within a few ulp), float32 `pow` from inline double
/// math, and float64 transcendentals call libm like the reference. Integer and bool operands
/// are widened to the wrapping int64 lane (sign-extended for int32, zero-extended for uint8
/// and bool), so every integer result is exactly the reference's.
struct ScalarOpEmitter {
    let b: IRBuilder

    /// `op` applied to register values of the given dtypes, converted to `result`.
    func emit(_ op: ScalarOp, _ operands: [IRValue], types: [DType], result: DType) -> IRValue {
        let lane = KExpr.laneDType(op, types)
        let value: LaneValue
        if lane.isFloatingPoint {
            value = floatOp(op, operands, types, lane)
        } else {
            value = intOp(op, zip(operands, types).map { b.widenToInt64($0, $1) })
        }
        return convert(value, to: result)
    }

    /// A lane value converted to `dtype` like the reference stores a lane into a dtype.
    func convert(_ value: LaneValue, to dtype: DType) -> IRValue {
        switch value {
        case .float(let v, let lane): b.floatLane(v, lane, to: dtype)
        case .int(let v): b.int64Lane(v, to: dtype)
        case .truth(let v): b.truthLane(v, to: dtype)
        }
    }

    /// True where a register value of `dtype` is non-zero (NaN counts as non-zero).
    func truthy(_ value: IRValue, _ dtype: DType) -> IRValue {
        switch dtype {
        case .bool: value
        case .float32, .float64: b.fcmp(LLVMRealUNE, value, b.constant(0, dtype))
        case .int32, .int64, .uint8: b.icmp(LLVMIntNE, value, LLVMConstInt(b.valueType(dtype), 0, 0))
        }
    }

    // MARK: Float lane

    /// An op whose operands (the value operands, for `select`) are floats of dtype `lane`.
    func floatOp(_ op: ScalarOp, _ x: [IRValue], _ types: [DType], _ lane: DType) -> LaneValue {
        let math = FloatMath(b: b, lane: lane)
        func f(_ v: IRValue) -> LaneValue { .float(v, lane) }
        switch op {
        case .neg: return f(b.fneg(x[0]))
        case .exp, .log, .log1p, .expm1, .tanh, .sigmoid, .softplus, .erf: return f(math.transcendental(op, x[0]))
        case .sqrt: return f(b.sqrt(x[0]))
        case .abs: return f(b.fabs(x[0]))
        case .sign: return f(math.sign(x[0]))
        case .relu: return f(b.select(b.fcmp(LLVMRealUGT, x[0], math.zero), x[0], math.zero))
        case .logicalNot: return .truth(b.fcmp(LLVMRealOEQ, x[0], math.zero))
        case .cast: return f(x[0])
        case .add: return f(b.fadd(x[0], x[1]))
        case .sub: return f(b.fsub(x[0], x[1]))
        case .mul: return f(b.fmul(x[0], x[1]))
        case .div: return f(b.fdiv(x[0], x[1]))
        case .pow: return f(math.pow(x[0], x[1]))
        case .maximum: return f(math.maximum(x[0], x[1]))
        case .minimum: return f(math.minimum(x[0], x[1]))
        case .eq: return .truth(b.fcmp(LLVMRealOEQ, x[0], x[1]))
        case .neq: return .truth(b.fcmp(LLVMRealUNE, x[0], x[1]))
        case .lt: return .truth(b.fcmp(LLVMRealOLT, x[0], x[1]))
        case .le: return .truth(b.fcmp(LLVMRealOLE, x[0], x[1]))
        case .gt: return .truth(b.fcmp(LLVMRealOGT, x[0], x[1]))
        case .ge: return .truth(b.fcmp(LLVMRealOGE, x[0], x[1]))
        case .logicalAnd: return .truth(b.and(truthy(x[0], lane), truthy(x[1], lane)))
        case .logicalOr: return .truth(b.or(truthy(x[0], lane), truthy(x[1], lane)))
        case .select: return f(b.select(truthy(x[0], types[0]), x[1], x[2]))
        case .clip: return f(math.minimum(math.maximum(x[0], x[1]), x[2]))
        }
    }

    // MARK: Int64 lane

    /// An op on widened `i64` operands with the wrapping semantics of `ScalarMath.int64`.
    func intOp(_ op: ScalarOp, _ x: [IRValue]) -> LaneValue {
        let int = IntegerMath(b: b)
        switch op {
        case .neg: return .int(b.sub(b.i64(0), x[0]))
        case .abs: return .int(b.select(b.icmp(LLVMIntSLT, x[0], b.i64(0)), b.sub(b.i64(0), x[0]), x[0]))
        case .sign: return .int(int.sign(x[0]))
        case .relu: return .int(int.max(x[0], b.i64(0)))
        case .logicalNot: return .truth(b.icmp(LLVMIntEQ, x[0], b.i64(0)))
        case .cast: return .int(x[0])
        case .exp, .log, .log1p, .expm1, .sqrt, .tanh, .sigmoid, .softplus, .erf:
            // Float-only math on integers goes through Double and truncates (ScalarMath.int64).
            let y = floatOp(op, [b.siToFP(x[0], to: b.f64)], [.float64], .float64)
            guard case .float(let value, _) = y else { preconditionFailure("\(op.name) gives a float") }
            return .int(b.truncatingToInt64(value, .float64))
        case .add: return .int(b.add(x[0], x[1]))
        case .sub: return .int(b.sub(x[0], x[1]))
        case .mul: return .int(b.mul(x[0], x[1]))
        case .div: return .int(int.floorDivide(x[0], x[1]))
        case .pow: return .int(int.power(x[0], x[1]))
        case .maximum: return .int(int.max(x[0], x[1]))
        case .minimum: return .int(int.min(x[0], x[1]))
        case .eq: return .truth(b.icmp(LLVMIntEQ, x[0], x[1]))
        case .neq: return .truth(b.icmp(LLVMIntNE, x[0], x[1]))
        case .lt: return .truth(b.icmp(LLVMIntSLT, x[0], x[1]))
        case .le: return .truth(b.icmp(LLVMIntSLE, x[0], x[1]))
        case .gt: return .truth(b.icmp(LLVMIntSGT, x[0], x[1]))
        case .ge: return .truth(b.icmp(LLVMIntSGE, x[0], x[1]))
        case .logicalAnd: return .truth(b.and(int.isNonZero(x[0]), int.isNonZero(x[1])))
        case .logicalOr: return .truth(b.or(int.isNonZero(x[0]), int.isNonZero(x[1])))
        case .select: return .int(b.select(int.isNonZero(x[0]), x[1], x[2]))
        case .clip: return .int(int.min(int.max(x[0], x[1]), x[2]))
        }
    }
}
