import GraphIR
import TensorRuntime

/// Symbolic random numbers (Theano's `RandomStreams`): each method returns a random variable
/// whose values change on every call of a compiled function that uses it.
///
/// The stream owns an int64 counter (`counter`, a shared variable) that every random variable
/// reads; its default update `counter + 1` is added by `function(...)` whenever a function
/// reaches the counter and does not update it explicitly, so each call draws new numbers
/// (a failed call advances nothing). Draws are Philox4x32-10 blocks keyed by the seed, with
/// counter (element index, call site, call count): the numbers depend only on the seed, the
/// order in which random variables were created, the call count and the element index, never
/// on threads or evaluation order. Each method call is a new call site, so two variables of
/// one stream differ. Not thread-safe: build random variables of one stream from one thread.
public final class RandomStreams {
    /// The Philox key of every draw.
    public let seed: UInt64
    /// How many calls have drawn from this stream (int64 scalar); `setValue` rewinds it.
    public let counter: SharedVariable
    private var nextCallSite: UInt32 = 0

    /// A stream of random variables for `seed`, with its counter at 0.
    public init(seed: UInt64, file: String = #fileID, line: Int = #line) {
        self.seed = seed
        let loc = here(file, line)
        counter = shared(Tensor(0, dtype: .int64), name: "randomCounter", file: file, line: line)
        counter.defaultUpdate = Variable(Build.binary(.add, counter.node, Build.scalar(1, dtype: .int64, at: loc),
                                                      at: loc))
    }

    /// Uniform draws on `[low, high)` of the given static shape (float dtype).
    public func uniform(shape: [Int], low: Double = 0, high: Double = 1, dtype: DType = .float32,
                        file: String = #fileID, line: Int = #line) -> Variable {
        draw(.uniform(low: low, high: high), staticShape(shape, here(file, line)), dtype, here(file, line))
    }

    /// Uniform draws on `[low, high)` shaped like a symbolic shape (e.g. `x.shape`).
    public func uniform(shape: SymbolicShape, low: Double = 0, high: Double = 1, dtype: DType = .float32,
                        file: String = #fileID, line: Int = #line) -> Variable {
        draw(.uniform(low: low, high: high), symbolicShape(shape, here(file, line)), dtype, here(file, line))
    }

    /// Normal draws with `mean` and standard deviation `std` of the given static shape.
    public func normal(shape: [Int], mean: Double = 0, std: Double = 1, dtype: DType = .float32,
                       file: String = #fileID, line: Int = #line) -> Variable {
        draw(.normal(mean: mean, std: std), staticShape(shape, here(file, line)), dtype, here(file, line))
    }

    /// Normal draws shaped like a symbolic shape (e.g. `x.shape`).
    public func normal(shape: SymbolicShape, mean: Double = 0, std: Double = 1, dtype: DType = .float32,
                       file: String = #fileID, line: Int = #line) -> Variable {
        draw(.normal(mean: mean, std: std), symbolicShape(shape, here(file, line)), dtype, here(file, line))
    }

    /// Binomial draws (successes in `n` ≤ 1000 trials of probability `p`) of a static shape;
    /// with `n = 1` and a float dtype, a dropout mask.
    public func binomial(shape: [Int], n: Int = 1, p: Double = 0.5, dtype: DType = .int64,
                         file: String = #fileID, line: Int = #line) -> Variable {
        draw(.binomial(n: n, p: p), staticShape(shape, here(file, line)), dtype, here(file, line))
    }

    /// Binomial draws shaped like a symbolic shape (e.g. `x.shape`, for a dropout mask of a
    /// batch of unknown size).
    public func binomial(shape: SymbolicShape, n: Int = 1, p: Double = 0.5, dtype: DType = .int64,
                         file: String = #fileID, line: Int = #line) -> Variable {
        draw(.binomial(n: n, p: p), symbolicShape(shape, here(file, line)), dtype, here(file, line))
    }

    /// A random node for a new call site; errors (bad parameters, dtype or shape) are recorded.
    private func draw(_ distribution: RandomDistribution, _ shape: (dims: [Dim], extents: [Node]), _ dtype: DType,
                      _ loc: SourceLocation) -> Variable {
        let attributes = RandomAttributes(distribution, dtype: dtype, shape: shape.dims, seed: seed,
                                          stream: nextCallSite)
        nextCallSite &+= 1
        return Variable(Node.make(.random(attributes), [counter.node] + shape.extents, at: loc))
    }

    private func staticShape(_ shape: [Int], _ loc: SourceLocation) -> (dims: [Dim], extents: [Node]) {
        (shape.map { .constant($0) }, shape.map { Build.scalar(Double($0), dtype: .int64, at: loc) })
    }

    private func symbolicShape(_ shape: SymbolicShape, _ loc: SourceLocation) -> (dims: [Dim], extents: [Node]) {
        let extents = shape.dims.enumerated().map { axis, d in
            d.constantValue.map { Build.scalar(Double($0), dtype: .int64, at: loc) }
                ?? Build.dimension(shape.node, axis: axis, at: loc)
        }
        return (shape.dims, extents)
    }
}
