import CLLVM
import GraphIR
import TensorRuntime

/// Float-lane helpers for one float dtype: numpy-style min/max, sign, and transcendentals.
///
/// float32 transcendentals are inline (`MathEmitter`, `DoubleMath` for `pow`), so float32
/// loops contain no calls and vectorize. float64 ones call the C library (`exp`, `log`,
/// `log1p`, `expm1`, `tanh`, `erf`, `pow`), exactly the functions the reference interpreter
/// uses, composed the same way for sigmoid and softplus, so float64 results are identical.
struct FloatMath {
    let b: IRBuilder
    let lane: DType

    var zero: IRValue { b.constant(0, lane) }
    var one: IRValue { b.constant(1, lane) }

    func isNaN(_ x: IRValue) -> IRValue { b.fcmp(LLVMRealUNO, x, x) }

    /// numpy's maximum: the first NaN operand, else `a >= b ? a : b`.
    func maximum(_ x: IRValue, _ y: IRValue) -> IRValue {
        let larger = b.select(b.fcmp(LLVMRealOGE, x, y), x, y)
        return b.select(isNaN(x), x, b.select(isNaN(y), y, larger))
    }

    /// numpy's minimum: the first NaN operand, else `a <= b ? a : b`.
    func minimum(_ x: IRValue, _ y: IRValue) -> IRValue {
        let smaller = b.select(b.fcmp(LLVMRealOLE, x, y), x, y)
        return b.select(isNaN(x), x, b.select(isNaN(y), y, smaller))
    }

    /// 1, -1 or (+)0; NaN stays NaN.
    func sign(_ x: IRValue) -> IRValue {
        let magnitude = b.select(b.fcmp(LLVMRealOLT, x, zero), b.constant(-1, lane), zero)
        let signed = b.select(b.fcmp(LLVMRealOGT, x, zero), one, magnitude)
        return b.select(isNaN(x), x, signed)
    }

    /// A unary transcendental (exp, log, log1p, expm1, tanh, sigmoid, softplus, erf).
    func transcendental(_ op: ScalarOp, _ x: IRValue) -> IRValue {
        if lane == .float32, let function = Self.inlineFunction(op) {
            return function.emit(MathEmitter(b), x)
        }
        switch op {
        case .sigmoid:
            // x >= 0 ? 1/(1+e^-x) : e^x/(1+e^x), with e = exp(-|x|) (ScalarMath.sigmoid).
            let e = libm("exp", b.fneg(b.fabs(x)))
            let denominator = b.fadd(one, e)
            return b.select(b.fcmp(LLVMRealOGE, x, zero), b.fdiv(one, denominator), b.fdiv(e, denominator))
        case .softplus:
            // max(x,0) + log1p(exp(-|x|)) (ScalarMath.softplus).
            let positive = b.select(b.fcmp(LLVMRealOGT, x, zero), x, zero)
            return b.fadd(positive, libm("log1p", libm("exp", b.fneg(b.fabs(x)))))
        case .exp, .log, .log1p, .expm1, .tanh, .erf:
            return libm(op.name, x)
        case .neg, .sqrt, .abs, .sign, .relu, .logicalNot, .cast, .add, .sub, .mul, .div, .pow, .maximum,
             .minimum, .eq, .neq, .lt, .le, .gt, .ge, .logicalAnd, .logicalOr, .select, .clip:
            preconditionFailure("\(op.name) is not a unary transcendental")
        }
    }

    /// `x^y`: float32 through inline double math rounded once, float64 through libm `pow`.
    func pow(_ x: IRValue, _ y: IRValue) -> IRValue {
        guard lane == .float32 else { return libm("pow", x, y) }
        return b.fpTrunc(DoubleMath(b: b).pow(b.fpExt(x, to: b.f64), b.fpExt(y, to: b.f64)), to: b.f32)
    }

    /// A call of the C library's double function `name` (declared on first use).
    func libm(_ name: String, _ arguments: IRValue...) -> IRValue {
        precondition(lane == .float64, "float32 math must stay inline")
        let function = b.declareFunction(name, returning: b.f64, parameters: arguments.map { _ in b.f64 })
        b.addFunctionAttribute(function, "nounwind")
        return b.call(function, arguments)
    }

    /// The inline float32 function for a transcendental op.
    private static func inlineFunction(_ op: ScalarOp) -> MathFunction? {
        switch op {
        case .exp: .exp
        case .log: .log
        case .log1p: .log1p
        case .expm1: .expm1
        case .tanh: .tanh
        case .sigmoid: .sigmoid
        case .softplus: .softplus
        case .erf: .erf
        case .neg, .sqrt, .abs, .sign, .relu, .logicalNot, .cast, .add, .sub, .mul, .div, .pow, .maximum,
             .minimum, .eq, .neq, .lt, .le, .gt, .ge, .logicalAnd, .logicalOr, .select, .clip: nil
        }
    }
}
