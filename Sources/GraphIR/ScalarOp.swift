import TensorRuntime

/// An elementwise scalar function; `Op.elementwise` applies one to same-shaped inputs.
///
/// Dtype rules (enforced by `Build` and the type rule): arithmetic inputs share one dtype and
/// the result has it; comparisons take one dtype and give bool; logical ops take and give
/// bool; `select` takes (bool, T, T) → T; `cast` converts to its dtype.
package enum ScalarOp: Hashable, Sendable, CaseIterable {
    // Unary
    case neg, exp, log, log1p, expm1, sqrt, abs, sign, tanh, sigmoid, softplus, relu, erf
    case logicalNot
    case cast(DType)
    // Binary
    case add, sub, mul, div, pow, maximum, minimum
    case eq, neq, lt, le, gt, ge
    case logicalAnd, logicalOr
    // Ternary
    case select   // (cond, ifTrue, ifFalse)
    case clip     // (x, lo, hi)

    package static var allCases: [ScalarOp] {
        [.neg, .exp, .log, .log1p, .expm1, .sqrt, .abs, .sign, .tanh, .sigmoid, .softplus, .relu, .erf,
         .logicalNot, .cast(.float32),
         .add, .sub, .mul, .div, .pow, .maximum, .minimum,
         .eq, .neq, .lt, .le, .gt, .ge, .logicalAnd, .logicalOr, .select, .clip]
    }

    /// Number of operands.
    package var arity: Int {
        switch self {
        case .neg, .exp, .log, .log1p, .expm1, .sqrt, .abs, .sign, .tanh, .sigmoid, .softplus, .relu, .erf,
             .logicalNot, .cast:
            return 1
        case .add, .sub, .mul, .div, .pow, .maximum, .minimum, .eq, .neq, .lt, .le, .gt, .ge,
             .logicalAnd, .logicalOr:
            return 2
        case .select, .clip:
            return 3
        }
    }

    /// The name used in IR text and error messages.
    package var name: String {
        switch self {
        case .cast(let d): return "cast<\(d.shortName)>"
        case .neg: return "neg"
        case .exp: return "exp"
        case .log: return "log"
        case .log1p: return "log1p"
        case .expm1: return "expm1"
        case .sqrt: return "sqrt"
        case .abs: return "abs"
        case .sign: return "sign"
        case .tanh: return "tanh"
        case .sigmoid: return "sigmoid"
        case .softplus: return "softplus"
        case .relu: return "relu"
        case .erf: return "erf"
        case .logicalNot: return "not"
        case .add: return "add"
        case .sub: return "sub"
        case .mul: return "mul"
        case .div: return "div"
        case .pow: return "pow"
        case .maximum: return "maximum"
        case .minimum: return "minimum"
        case .eq: return "eq"
        case .neq: return "neq"
        case .lt: return "lt"
        case .le: return "le"
        case .gt: return "gt"
        case .ge: return "ge"
        case .logicalAnd: return "and"
        case .logicalOr: return "or"
        case .select: return "select"
        case .clip: return "clip"
        }
    }

    /// True for comparisons (result bool).
    package var isComparison: Bool {
        switch self {
        case .eq, .neq, .lt, .le, .gt, .ge: return true
        default: return false
        }
    }
}
