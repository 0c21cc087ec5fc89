/// How a layer gets one of its parameters (Lasagne's `spec` argument to `add_param`): a new
/// shared variable filled by an initializer or with a given value, or an existing variable
/// (a shared variable of another layer, or an expression of shared variables such as
/// `encoder.W.T` for tied weights).
public enum ParameterSpec {
    /// A new shared variable of the layer's dtype drawn by the initializer.
    case initializer(any Initializer)
    /// A new shared variable holding this value (its shape must be the parameter's).
    case value(Tensor)
    /// This shared variable or expression (its shape must be the parameter's).
    case variable(Variable)

    /// Glorot uniform with gain 1 (the default for weights).
    public static var glorotUniform: ParameterSpec { .initializer(GlorotUniform()) }
    /// Glorot normal with gain 1.
    public static var glorotNormal: ParameterSpec { .initializer(GlorotNormal()) }
    /// He uniform with gain 1.
    public static var heUniform: ParameterSpec { .initializer(HeUniform()) }
    /// He normal with gain 1.
    public static var heNormal: ParameterSpec { .initializer(HeNormal()) }
    /// Orthogonal with gain 1.
    public static var orthogonal: ParameterSpec { .initializer(Orthogonal()) }
    /// Every element `value` (biases: `.constant(0)`).
    public static func constant(_ value: Double) -> ParameterSpec { .initializer(Constant(value)) }
    /// Normal draws with standard deviation `std`.
    public static func normal(std: Double = 0.01, mean: Double = 0) -> ParameterSpec {
        .initializer(Normal(std: std, mean: mean))
    }
    /// Uniform draws on `[-range, range)`.
    public static func uniform(range: Double = 0.01) -> ParameterSpec { .initializer(Uniform(range: range)) }

    /// The parameter variable of `shape`: a new shared variable named `name`, or the given
    /// variable. Throws `GraphError` (`.shape`/`.dtype`/`.argument`) naming the layer when the
    /// value or variable does not fit.
    func make(shape: [Int], dtype: DType = .float32, name: String, layer: String,
              at loc: SourceLocation) throws(GraphError) -> Variable {
        switch self {
        case .initializer(let initializer):
            do {
                let value = try initializer.sample(shape: shape, dtype: dtype)
                return shared(value, name: name, file: loc.fileID, line: loc.line)
            } catch {
                throw GraphError(error.kind, op: layer, "parameter \(name): \(error.message)", at: loc)
            }
        case .value(let tensor):
            try Self.check(tensor.shape, tensor.dtype, shape: shape, dtype: dtype, name: name, layer: layer, at: loc)
            return shared(tensor, name: name, file: loc.fileID, line: loc.line)
        case .variable(let variable):
            try variable.node.check()
            let dims = variable.type.shape.map(\.constantValue)
            guard dims == shape.map(Optional.some) else {
                throw GraphError(.shape, op: layer, "parameter \(name) needs shape \(shape), "
                                 + "the given variable has type \(variable.type)", at: loc)
            }
            return variable
        }
    }

    /// Throws unless a given value has the parameter's shape and dtype.
    private static func check(_ given: [Int], _ givenDType: DType, shape: [Int], dtype: DType, name: String,
                              layer: String, at loc: SourceLocation) throws(GraphError) {
        guard given == shape else {
            throw GraphError(.shape, op: layer, "parameter \(name) needs shape \(shape), got a value of shape \(given)",
                             at: loc)
        }
        guard givenDType == dtype else {
            throw GraphError(.dtype, op: layer, "parameter \(name) needs dtype \(dtype), got a \(givenDType) value",
                             at: loc)
        }
    }
}
