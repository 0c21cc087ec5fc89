import Synchronization

/// A way to fill a new parameter tensor (Lasagne's `lasagne.init`).
///
/// `sample(shape:dtype:generator:)` draws from an explicit generator (fully reproducible);
/// `sample(shape:dtype:)` draws from HypatiaNN's shared initialization generator, which
/// `setRandomSeed(_:)` reseeds, so a script that seeds once and builds its layers in the same
/// order gets the same weights every run.
public protocol Initializer: Sendable {
    /// A tensor of `shape` and `dtype` drawn with `generator`. Throws `GraphError(.argument)`
    /// for a shape the initializer cannot fill (negative extent, too few axes for fans).
    func sample(shape: [Int], dtype: DType, generator: inout RandomGenerator) throws(GraphError) -> Tensor
}

extension Initializer {
    /// A tensor of `shape` drawn from HypatiaNN's shared generator (see `setRandomSeed(_:)`).
    public func sample(shape: [Int], dtype: DType = .float32) throws(GraphError) -> Tensor {
        var generator = RandomGenerator(seed: nextRandomSeed())
        return try sample(shape: shape, dtype: dtype, generator: &generator)
    }
}

/// The generator behind parameter initialization and default dropout/noise seeds.
private let sharedGenerator = Mutex(RandomGenerator(seed: 0x4879_7061_7469_6121))

/// Reseeds HypatiaNN's shared random generator (Lasagne's `lasagne.random.set_rng`): the
/// initial weights of layers built afterwards, and the default seeds of their dropout and
/// noise streams, are then a function of `seed` and the order in which layers are built.
public func setRandomSeed(_ seed: UInt64) {
    sharedGenerator.withLock { $0 = RandomGenerator(seed: seed) }
}

/// The next 64 bits of HypatiaNN's shared generator: a fresh seed for one parameter or stream.
public func nextRandomSeed() -> UInt64 {
    sharedGenerator.withLock { $0.next() }
}

/// Throws unless every extent is non-negative.
func validate(_ shape: [Int], _ op: String) throws(GraphError) {
    guard shape.allSatisfy({ $0 >= 0 }) else {
        throw GraphError(.argument, op: op, "shape \(shape) has a negative extent")
    }
}

/// Throws unless the shape has at least two axes (fans are defined from the first two).
func requireFans(_ shape: [Int], _ op: String) throws(GraphError) {
    try validate(shape, op)
    guard shape.count >= 2 else {
        throw GraphError(.argument, op: op, "needs a shape with at least 2 axes to compute fans, got \(shape)")
    }
}
