import Hypatia

/// Ordered (shared variable, new value) pairs, as `function(inputs:outputs:updates:)` takes
/// them (Lasagne's OrderedDict of updates). Every value is computed from the values before
/// the call.
public typealias Updates = [(SharedVariable, Variable)]

/// A number or a scalar variable, as an update rule's learning rate or momentum.
public enum HyperparameterValue: Sendable {
    /// A fixed number, typed like the expression it scales (no upcasting of float32).
    case number(Double)
    /// A scalar variable, e.g. a shared variable changed between calls for a schedule; it is
    /// cast to the dtype of the expression it scales.
    case variable(Variable)
}

/// Something usable as a learning rate or momentum: a Swift number (`0.01`) or a scalar
/// `Variable` / `SharedVariable` (a learning-rate schedule).
public protocol Hyperparameter {
    /// The number or variable this stands for.
    var hyperparameterValue: HyperparameterValue { get }
}

extension Double: Hyperparameter {
    public var hyperparameterValue: HyperparameterValue { .number(self) }
}

extension Float: Hyperparameter {
    public var hyperparameterValue: HyperparameterValue { .number(Double(self)) }
}

extension Int: Hyperparameter {
    public var hyperparameterValue: HyperparameterValue { .number(Double(self)) }
}

extension Variable: Hyperparameter {
    public var hyperparameterValue: HyperparameterValue { .variable(self) }
}

extension HyperparameterValue {
    /// `self · x`, in x's dtype.
    func times(_ x: Variable) -> Variable {
        switch self {
        case .number(let value): return value * x
        case .variable(let v): return matched(v, to: x) * x
        }
    }

    /// `self` as a variable of `dtype` (a number becomes a constant).
    func variable(dtype: DType, at loc: SourceLocation) -> Variable {
        switch self {
        case .number(let value): return Variable(Build.scalar(value, dtype: dtype, at: loc))
        case .variable(let v): return v.dtype == dtype ? v : Variable(Build.cast(v.node, to: dtype, at: loc))
        }
    }
}

/// `v` cast to the dtype of `like` when they differ.
func matched(_ v: Variable, to like: Variable) -> Variable {
    v.dtype == like.dtype ? v : Variable(Build.cast(v.node, to: like.dtype, at: v.node.location))
}
