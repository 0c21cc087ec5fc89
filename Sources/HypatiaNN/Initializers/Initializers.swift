/// Every element `value` (Lasagne's `Constant`; biases start at 0).
public struct Constant: Initializer {
    /// The value of every element.
    public var value: Double
    /// Every element `value`.
    public init(_ value: Double = 0) { self.value = value }

    public func sample(shape: [Int], dtype: DType, generator: inout RandomGenerator) throws(GraphError) -> Tensor {
        try validate(shape, "Constant")
        return Tensor(repeating: value, shape: shape, dtype: dtype)
    }
}

/// Normal draws with `mean` and standard deviation `std` (Lasagne's `Normal`, std 0.01).
public struct Normal: Initializer {
    /// The standard deviation.
    public var std: Double
    /// The mean.
    public var mean: Double
    /// Normal draws with standard deviation `std` around `mean`.
    public init(std: Double = 0.01, mean: Double = 0) {
        self.std = std
        self.mean = mean
    }

    public func sample(shape: [Int], dtype: DType, generator: inout RandomGenerator) throws(GraphError) -> Tensor {
        try validate(shape, "Normal")
        return Tensor(randomNormal: shape, mean: mean, stddev: std, dtype: dtype, generator: &generator)
    }
}

/// Uniform draws on `[low, high)` (Lasagne's `Uniform`; `Uniform(range: r)` is `[-r, r)`).
public struct Uniform: Initializer {
    /// The lower bound.
    public var low: Double
    /// The upper bound (excluded).
    public var high: Double
    /// Draws on `[-range, range)` (Lasagne's default range 0.01).
    public init(range: Double = 0.01) {
        low = -range
        high = range
    }
    /// Draws on `[low, high)`.
    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }

    public func sample(shape: [Int], dtype: DType, generator: inout RandomGenerator) throws(GraphError) -> Tensor {
        try validate(shape, "Uniform")
        return Tensor(randomUniform: shape, in: low...high, dtype: dtype, generator: &generator)
    }
}

/// Lasagne's Glorot fans: `(shape[0] + shape[1]) · receptive field` (product of the later axes).
func glorotStd(_ shape: [Int], gain: Double, _ op: String) throws(GraphError) -> Double {
    try requireFans(shape, op)
    let receptiveField = shape.dropFirst(2).reduce(1, *)
    return gain * (2.0 / Double((shape[0] + shape[1]) * receptiveField)).squareRoot()
}

/// Lasagne's He fan-in: `shape[0]` for a matrix (Dense W is inputs × units), else the product
/// of all axes but the first (conv W is filters × channels × rows × columns).
func heStd(_ shape: [Int], gain: Double, _ op: String) throws(GraphError) -> Double {
    try requireFans(shape, op)
    let fanIn = shape.count == 2 ? shape[0] : shape.dropFirst().reduce(1, *)
    return gain * (1.0 / Double(fanIn)).squareRoot()
}

/// Glorot/Xavier uniform: on `±√3·std`, std = gain·√(2 / ((fanIn + fanOut)·receptive field)).
/// Use `gain: 2.0.squareRoot()` for rectifiers.
public struct GlorotUniform: Initializer {
    /// The factor on the standard deviation (√2 for rectifiers).
    public var gain: Double
    /// An initializer with the given gain.
    public init(gain: Double = 1) { self.gain = gain }

    public func sample(shape: [Int], dtype: DType, generator: inout RandomGenerator) throws(GraphError) -> Tensor {
        let bound = 3.0.squareRoot() * (try glorotStd(shape, gain: gain, "GlorotUniform"))
        return Tensor(randomUniform: shape, in: -bound...bound, dtype: dtype, generator: &generator)
    }
}

/// Glorot/Xavier normal: mean 0, std = gain·√(2 / ((fanIn + fanOut)·receptive field)).
public struct GlorotNormal: Initializer {
    /// The factor on the standard deviation (√2 for rectifiers).
    public var gain: Double
    /// An initializer with the given gain.
    public init(gain: Double = 1) { self.gain = gain }

    public func sample(shape: [Int], dtype: DType, generator: inout RandomGenerator) throws(GraphError) -> Tensor {
        let std = try glorotStd(shape, gain: gain, "GlorotNormal")
        return Tensor(randomNormal: shape, stddev: std, dtype: dtype, generator: &generator)
    }
}

/// He uniform: on `±√3·std`, std = gain·√(1 / fanIn). Use `gain: 2.0.squareRoot()` for ReLU.
public struct HeUniform: Initializer {
    /// The factor on the standard deviation (√2 for rectifiers).
    public var gain: Double
    /// An initializer with the given gain.
    public init(gain: Double = 1) { self.gain = gain }

    public func sample(shape: [Int], dtype: DType, generator: inout RandomGenerator) throws(GraphError) -> Tensor {
        let bound = 3.0.squareRoot() * (try heStd(shape, gain: gain, "HeUniform"))
        return Tensor(randomUniform: shape, in: -bound...bound, dtype: dtype, generator: &generator)
    }
}

/// He normal: mean 0, std = gain·√(1 / fanIn).
public struct HeNormal: Initializer {
    /// The factor on the standard deviation (√2 for rectifiers).
    public var gain: Double
    /// An initializer with the given gain.
    public init(gain: Double = 1) { self.gain = gain }

    public func sample(shape: [Int], dtype: DType, generator: inout RandomGenerator) throws(GraphError) -> Tensor {
        let std = try heStd(shape, gain: gain, "HeNormal")
        return Tensor(randomNormal: shape, stddev: std, dtype: dtype, generator: &generator)
    }
}
