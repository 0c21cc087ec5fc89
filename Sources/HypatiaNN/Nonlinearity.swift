/// An elementwise activation function (Lasagne's `lasagne.nonlinearities`), a value usable as
/// `.tanh` wherever a layer takes one, and callable: `Nonlinearity.rectify(x)`.
public struct Nonlinearity: Sendable, CustomStringConvertible {
    /// A short name for printing, e.g. `leakyRectify(0.01)`.
    public let name: String
    private let function: @Sendable (Variable) -> Variable

    /// A nonlinearity applying `function`.
    public init(name: String, _ function: @escaping @Sendable (Variable) -> Variable) {
        self.name = name
        self.function = function
    }

    /// The activation of `x`.
    public func callAsFunction(_ x: Variable) -> Variable { function(x) }

    public var description: String { name }

    /// 1 / (1 + e^-x).
    public static let sigmoid = Nonlinearity(name: "sigmoid") { Hypatia.sigmoid($0) }
    /// The hyperbolic tangent.
    public static let tanh = Nonlinearity(name: "tanh") { Hypatia.tanh($0) }
    /// max(x, 0) (ReLU).
    public static let rectify = Nonlinearity(name: "rectify") { Hypatia.relu($0) }
    /// Alias of `rectify`.
    public static let relu = rectify
    /// Leaky rectifier with leakiness 1/3 (Lasagne's `very_leaky_rectify`).
    public static let veryLeakyRectify = leakyRectify(1.0 / 3)
    /// x for x > 0, e^x - 1 otherwise (ELU with alpha 1).
    public static let elu = Nonlinearity(name: "elu") { x in
        select(gt(x, 0), x, expm1(minimum(x, 0)))
    }
    /// Scaled ELU with the standard constants (Klambauer et al. 2017): scale 1.0507009873554805,
    /// alpha 1.6732632423543772.
    public static let selu = Nonlinearity(name: "selu") { x in
        let alpha = 1.6732632423543772848170429916717
        let scale = 1.0507009873554804934193349852946
        return scale * select(gt(x, 0), x, alpha * expm1(minimum(x, 0)))
    }
    /// x · sigmoid(x).
    public static let swish = Nonlinearity(name: "swish") { x in x * Hypatia.sigmoid(x) }
    /// x / (1 + |x|).
    public static let softsign = Nonlinearity(name: "softsign") { x in x / (1 + abs(x)) }
    /// log(1 + e^x).
    public static let softplus = Nonlinearity(name: "softplus") { Hypatia.softplus($0) }
    /// Softmax over axis 1 (the units of a `[batch, units]` output).
    public static let softmax = Nonlinearity(name: "softmax") { Hypatia.softmax($0, axis: 1) }
    /// The identity.
    public static let linear = Nonlinearity(name: "linear") { $0 }
    /// Alias of `linear`.
    public static let identity = linear

    /// max(x, leakiness·x) for 0 ≤ leakiness ≤ 1: x for x > 0, leakiness·x otherwise.
    public static func leakyRectify(_ leakiness: Double = 0.01) -> Nonlinearity {
        Nonlinearity(name: "leakyRectify(\(leakiness))") { x in select(gt(x, 0), x, leakiness * x) }
    }

    /// scaleOut · tanh(scaleIn · x) (Lasagne's `ScaledTanH`; LeCun's 1.7159 · tanh(2x/3)).
    public static func scaledTanh(scaleIn: Double = 1, scaleOut: Double = 1) -> Nonlinearity {
        Nonlinearity(name: "scaledTanh(\(scaleIn), \(scaleOut))") { x in scaleOut * Hypatia.tanh(scaleIn * x) }
    }
}
