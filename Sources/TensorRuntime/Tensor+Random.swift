/// A seeded, counter-based random number generator: Philox4x32-10 (Salmon et al., SC'11).
///
/// The 64-bit seed is the Philox key; a 128-bit counter (low 64 bits: block number, high 64
/// bits: `stream`) is encrypted by ten Philox rounds into four 32-bit outputs per block. The
/// same seed and stream always give the same sequence on every platform, and different
/// streams of one seed are independent (useful for per-epoch shuffles). The outputs match the
/// Random123 known-answer vectors. Also a `RandomNumberGenerator`, so it drives
/// `shuffle(using:)` and `Int.random(in:using:)` deterministically.
public struct RandomGenerator: RandomNumberGenerator, Sendable, Hashable {
    /// The Philox key (the seed).
    public let seed: UInt64
    /// The high 64 bits of the counter: selects an independent stream of the same seed.
    public let stream: UInt64
    /// The next block number (low 64 bits of the counter).
    private var block: UInt64 = 0
    /// Outputs of the current block not yet handed out.
    private var buffer: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
    private var used = 4

    /// A generator for `seed`, at the start of stream `stream`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        self.seed = seed
        self.stream = stream
    }

    /// Equal when seed, stream and position agree (so both produce the same future draws).
    public static func == (lhs: RandomGenerator, rhs: RandomGenerator) -> Bool {
        lhs.seed == rhs.seed && lhs.stream == rhs.stream && lhs.block == rhs.block && lhs.used == rhs.used
    }

    /// Hashes seed, stream and position.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(seed)
        hasher.combine(stream)
        hasher.combine(block)
        hasher.combine(used)
    }

    /// Philox4x32-10 applied to `counter` with `key`: the raw block function.
    public static func philox(counter: (UInt32, UInt32, UInt32, UInt32),
                              key: (UInt32, UInt32)) -> (UInt32, UInt32, UInt32, UInt32) {
        var c = counter
        var k = key
        for round in 0..<10 {
            if round > 0 {
                k.0 &+= 0x9E37_79B9
                k.1 &+= 0xBB67_AE85
            }
            let p0 = UInt64(0xD251_1F53) * UInt64(c.0)
            let p1 = UInt64(0xCD9E_8D57) * UInt64(c.2)
            let (hi0, lo0) = (UInt32(p0 >> 32), UInt32(truncatingIfNeeded: p0))
            let (hi1, lo1) = (UInt32(p1 >> 32), UInt32(truncatingIfNeeded: p1))
            c = (hi1 ^ c.1 ^ k.0, lo1, hi0 ^ c.3 ^ k.1, lo0)
        }
        return c
    }

    /// The next 32 random bits.
    public mutating func next32() -> UInt32 {
        if used == 4 {
            let counter = (UInt32(truncatingIfNeeded: block), UInt32(truncatingIfNeeded: block >> 32),
                           UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32))
            buffer = Self.philox(counter: counter,
                                 key: (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)))
            block &+= 1
            used = 0
        }
        defer { used += 1 }
        switch used {
        case 0: return buffer.0
        case 1: return buffer.1
        case 2: return buffer.2
        default: return buffer.3
        }
    }

    /// The next 64 random bits (two 32-bit outputs, the first in the high half).
    public mutating func next() -> UInt64 {
        let high = UInt64(next32())
        return high << 32 | UInt64(next32())
    }

    /// A uniform Double in `[0, 1)` with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard normal pair by the Box–Muller transform.
    public mutating func nextNormalPair() -> (Double, Double) {
        let u1 = 1 - nextUnitDouble()  // in (0, 1]: log(u1) is finite
        let u2 = nextUnitDouble()
        let radius = (-2 * _log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        return (radius * _cos(angle), radius * _sin(angle))
    }
}

extension Tensor {
    /// A tensor of independent uniform draws from `range` (half open in practice: `upperBound`
    /// is reached only through rounding), converted to `dtype`.
    ///
    /// Deterministic for the generator's seed and position; advances `generator` by one 64-bit
    /// draw per element. Extents must be non-negative, as for `Tensor(zeros:)`.
    public init(randomUniform shape: [Int], in range: ClosedRange<Double> = 0...1, dtype: DType = .float32,
                generator: inout RandomGenerator) {
        self.init(zeros: shape, dtype: dtype)
        let width = range.upperBound - range.lowerBound
        var values = [Double](repeating: 0, count: count)
        for i in values.indices { values[i] = range.lowerBound + width * generator.nextUnitDouble() }
        store(values)
    }

    /// A tensor of independent normal draws with the given mean and standard deviation
    /// (Box–Muller, both values of each pair used), converted to `dtype`.
    ///
    /// Deterministic for the generator's seed and position. Extents must be non-negative.
    public init(randomNormal shape: [Int], mean: Double = 0, stddev: Double = 1, dtype: DType = .float32,
                generator: inout RandomGenerator) {
        self.init(zeros: shape, dtype: dtype)
        var values = [Double](repeating: 0, count: count)
        var i = 0
        while i < values.count {
            let (z0, z1) = generator.nextNormalPair()
            values[i] = mean + stddev * z0
            if i + 1 < values.count { values[i + 1] = mean + stddev * z1 }
            i += 2
        }
        store(values)
    }

    /// Writes row-major Doubles into this tensor's storage, converting to the dtype.
    private mutating func store(_ values: [Double]) {
        for (i, v) in values.enumerated() { setDouble(v, at: i) }
    }
}

// Elementary functions without importing Foundation into the whole module.
#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
@inline(__always) private func _sin(_ x: Double) -> Double { Glibc.sin(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
@inline(__always) private func _sin(_ x: Double) -> Double { Darwin.sin(x) }
#endif
