import GraphIR
import TensorRuntime

// MARK: - Unary math (integer and bool inputs of float-only functions become floatX)

private func unary(_ op: ScalarOp, _ x: Variable, _ file: String, _ line: Int) -> Variable {
    Variable(Build.unary(op, x.node, at: here(file, line)))
}

/// Elementwise e^x.
public func exp(_ x: Variable, file: String = #fileID, line: Int = #line) -> Variable { unary(.exp, x, file, line) }
/// Elementwise natural logarithm.
public func log(_ x: Variable, file: String = #fileID, line: Int = #line) -> Variable { unary(.log, x, file, line) }
/// Elementwise log(1 + x), accurate near 0.
public func log1p(_ x: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    unary(.log1p, x, file, line)
}
/// Elementwise e^x - 1, accurate near 0.
public func expm1(_ x: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    unary(.expm1, x, file, line)
}
/// Elementwise square root.
public func sqrt(_ x: Variable, file: String = #fileID, line: Int = #line) -> Variable { unary(.sqrt, x, file, line) }
/// Elementwise absolute value (keeps integer dtypes).
public func abs(_ x: Variable, file: String = #fileID, line: Int = #line) -> Variable { unary(.abs, x, file, line) }
/// Elementwise sign: -1, 0 or 1 (keeps integer dtypes).
public func sign(_ x: Variable, file: String = #fileID, line: Int = #line) -> Variable { unary(.sign, x, file, line) }
/// Elementwise hyperbolic tangent.
public func tanh(_ x: Variable, file: String = #fileID, line: Int = #line) -> Variable { unary(.tanh, x, file, line) }
/// Elementwise logistic function 1 / (1 + e^-x).
public func sigmoid(_ x: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    unary(.sigmoid, x, file, line)
}
/// Elementwise log(1 + e^x), computed stably.
public func softplus(_ x: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    unary(.softplus, x, file, line)
}
/// Elementwise max(x, 0).
public func relu(_ x: Variable, file: String = #fileID, line: Int = #line) -> Variable { unary(.relu, x, file, line) }
/// Elementwise error function.
public func erf(_ x: Variable, file: String = #fileID, line: Int = #line) -> Variable { unary(.erf, x, file, line) }

// MARK: - Binary math

private func binary(_ op: ScalarOp, _ a: Variable, _ b: Variable, _ file: String, _ line: Int) -> Variable {
    Variable(Build.binary(op, a.node, b.node, at: here(file, line)))
}

private func binary(_ op: ScalarOp, _ a: Variable, _ b: Double, _ file: String, _ line: Int) -> Variable {
    let loc = here(file, line)
    return Variable(Build.binary(op, a.node, weakScalar(b, like: a.node, at: loc), at: loc))
}

private func binary(_ op: ScalarOp, _ a: Double, _ b: Variable, _ file: String, _ line: Int) -> Variable {
    let loc = here(file, line)
    return Variable(Build.binary(op, weakScalar(a, like: b.node, at: loc), b.node, at: loc))
}

/// Elementwise larger of two tensors (broadcast).
public func maximum(_ a: Variable, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.maximum, a, b, file, line)
}
/// Elementwise larger of a tensor and a number.
public func maximum(_ a: Variable, _ b: Double, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.maximum, a, b, file, line)
}
/// Elementwise larger of a number and a tensor.
public func maximum(_ a: Double, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.maximum, a, b, file, line)
}
/// Elementwise smaller of two tensors (broadcast).
public func minimum(_ a: Variable, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.minimum, a, b, file, line)
}
/// Elementwise smaller of a tensor and a number.
public func minimum(_ a: Variable, _ b: Double, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.minimum, a, b, file, line)
}
/// Elementwise smaller of a number and a tensor.
public func minimum(_ a: Double, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.minimum, a, b, file, line)
}
/// Elementwise power x^y (broadcast).
public func pow(_ x: Variable, _ y: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.pow, x, y, file, line)
}
/// Elementwise power x^y with a number exponent.
public func pow(_ x: Variable, _ y: Double, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.pow, x, y, file, line)
}

// MARK: - Comparisons and logic (results are bool)

/// Elementwise `a == b`.
public func eq(_ a: Variable, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.eq, a, b, file, line)
}
/// Elementwise `a == b` against a number.
public func eq(_ a: Variable, _ b: Double, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.eq, a, b, file, line)
}
/// Elementwise `a != b`.
public func neq(_ a: Variable, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.neq, a, b, file, line)
}
/// Elementwise `a != b` against a number.
public func neq(_ a: Variable, _ b: Double, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.neq, a, b, file, line)
}
/// Elementwise `a < b`.
public func lt(_ a: Variable, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.lt, a, b, file, line)
}
/// Elementwise `a < b` against a number.
public func lt(_ a: Variable, _ b: Double, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.lt, a, b, file, line)
}
/// Elementwise `a <= b`.
public func le(_ a: Variable, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.le, a, b, file, line)
}
/// Elementwise `a <= b` against a number.
public func le(_ a: Variable, _ b: Double, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.le, a, b, file, line)
}
/// Elementwise `a > b`.
public func gt(_ a: Variable, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.gt, a, b, file, line)
}
/// Elementwise `a > b` against a number.
public func gt(_ a: Variable, _ b: Double, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.gt, a, b, file, line)
}
/// Elementwise `a >= b`.
public func ge(_ a: Variable, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.ge, a, b, file, line)
}
/// Elementwise `a >= b` against a number.
public func ge(_ a: Variable, _ b: Double, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.ge, a, b, file, line)
}
/// Elementwise logical and (operands cast to bool).
public func logicalAnd(_ a: Variable, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.logicalAnd, a, b, file, line)
}
/// Elementwise logical or (operands cast to bool).
public func logicalOr(_ a: Variable, _ b: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    binary(.logicalOr, a, b, file, line)
}
/// Elementwise logical not (operand cast to bool).
public func logicalNot(_ x: Variable, file: String = #fileID, line: Int = #line) -> Variable {
    unary(.logicalNot, x, file, line)
}
