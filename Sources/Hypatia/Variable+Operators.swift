import GraphIR
import TensorRuntime

// Swift operators cannot take `#fileID`/`#line` default arguments (an operator function has
// exactly one or two parameters), so nodes built by `+ - * /` and prefix `-` are attributed to
// the latest line among their operands' locations: usually the same or a nearby line.

/// A rank-0 constant for a Swift number combined with `other`, typed weakly like numpy's
/// Python scalars: `other`'s dtype when the value fits it (any value for floating dtypes,
/// integral values in range for integer dtypes), else int64 for integral values (and for
/// bool operands), else floatX.
func weakScalar(_ value: Double, like other: Node, at loc: SourceLocation) -> Node {
    Build.scalar(value, dtype: weakDType(value, like: other.type.dtype), at: loc)
}

/// The dtype `weakScalar` gives `value` next to an operand of dtype `other`.
func weakDType(_ value: Double, like other: DType) -> DType {
    if other.isFloatingPoint { return other }
    guard value.rounded() == value, value.isFinite else { return .floatX }
    let fits: Bool
    switch other {
    case .int32: fits = value >= Double(Int32.min) && value <= Double(Int32.max)
    case .uint8: fits = value >= 0 && value <= 255
    case .int64: fits = value.magnitude < 9.2e18
    case .bool, .float32, .float64: fits = false
    }
    return fits ? other : .int64
}

/// The location used for an operator node: the later line of its operands' (an expression
/// comes after the creation of its operands, so this is the closest known line), or in
/// different files the most recently created operand's.
func operatorLocation(_ a: Node, _ b: Node) -> SourceLocation {
    let (x, y) = (a.location, b.location)
    if x.fileID == y.fileID { return y.line > x.line ? y : x }
    return b.id > a.id ? y : x
}

/// A binary elementwise node for an operator.
private func binaryOperator(_ op: ScalarOp, _ a: Node, _ b: Node) -> Variable {
    Variable(Build.binary(op, a, b, at: operatorLocation(a, b)))
}

/// A binary node with a Swift number on the right.
private func binaryOperator(_ op: ScalarOp, _ a: Node, _ b: Double) -> Variable {
    let loc = a.location
    return Variable(Build.binary(op, a, weakScalar(b, like: a, at: loc), at: loc))
}

/// A binary node with a Swift number on the left.
private func binaryOperator(_ op: ScalarOp, _ a: Double, _ b: Node) -> Variable {
    let loc = b.location
    return Variable(Build.binary(op, weakScalar(a, like: b, at: loc), b, at: loc))
}

extension Variable {
    /// Elementwise sum with numpy broadcasting and dtype promotion.
    public static func + (a: Variable, b: Variable) -> Variable { binaryOperator(.add, a.node, b.node) }
    /// Adds a Swift number (typed like `a`).
    public static func + (a: Variable, b: Double) -> Variable { binaryOperator(.add, a.node, b) }
    /// Adds a Swift number (typed like `b`).
    public static func + (a: Double, b: Variable) -> Variable { binaryOperator(.add, a, b.node) }

    /// Elementwise difference with numpy broadcasting and dtype promotion.
    public static func - (a: Variable, b: Variable) -> Variable { binaryOperator(.sub, a.node, b.node) }
    /// Subtracts a Swift number (typed like `a`).
    public static func - (a: Variable, b: Double) -> Variable { binaryOperator(.sub, a.node, b) }
    /// Subtracts from a Swift number (typed like `b`).
    public static func - (a: Double, b: Variable) -> Variable { binaryOperator(.sub, a, b.node) }

    /// Elementwise product with numpy broadcasting and dtype promotion.
    public static func * (a: Variable, b: Variable) -> Variable { binaryOperator(.mul, a.node, b.node) }
    /// Multiplies by a Swift number (typed like `a`).
    public static func * (a: Variable, b: Double) -> Variable { binaryOperator(.mul, a.node, b) }
    /// Multiplies a Swift number (typed like `b`).
    public static func * (a: Double, b: Variable) -> Variable { binaryOperator(.mul, a, b.node) }

    /// Elementwise quotient; two integer operands give floatX.
    public static func / (a: Variable, b: Variable) -> Variable { binaryOperator(.div, a.node, b.node) }
    /// Divides by a Swift number (typed like `a`).
    public static func / (a: Variable, b: Double) -> Variable { binaryOperator(.div, a.node, b) }
    /// Divides a Swift number (typed like `b`).
    public static func / (a: Double, b: Variable) -> Variable { binaryOperator(.div, a, b.node) }

    /// Elementwise negation.
    public static prefix func - (x: Variable) -> Variable {
        Variable(Build.unary(.neg, x.node, at: x.node.location))
    }
}
