#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic clock reading in nanoseconds (`CLOCK_MONOTONIC`; no allocation).
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// Seconds elapsed since a `monotonicNanoseconds()` reading.
@inline(__always)
func secondsSince(_ start: UInt64) -> Double {
    Double(monotonicNanoseconds() &- start) * 1e-9
}

/// How often a workload is run: the parameters of the peers' `bench()` in
/// `peers/common.py` (warm-up calls, then at least `minReps` timed calls and more until
/// `minTime` seconds have passed, at most `maxReps`).
struct BenchConfig: Sendable {
    var warmup: Int
    var minReps: Int
    var minTime: Double
    var maxReps: Int

    /// `bench(fn)` with its defaults (warmup 3, 15 reps, 2 s, 500 reps).
    static let peers = BenchConfig(warmup: 3, minReps: 15, minTime: 2.0, maxReps: 500)

    /// `bench(fn, min_reps=30)`, as the W1 and W2 peer scripts call it.
    static let peers30 = BenchConfig(warmup: 3, minReps: 30, minTime: 2.0, maxReps: 500)

    /// A smoke run (`--quick`): one warm-up call and three timed calls.
    static let quick = BenchConfig(warmup: 1, minReps: 3, minTime: 0, maxReps: 3)
}

/// Timed repetitions of one workload, in seconds.
struct Samples: Sendable {
    let seconds: [Double]

    /// The fastest repetition.
    var min: Double { seconds.min() ?? .nan }

    /// The median repetition (mean of the middle two for an even count, like `statistics.median`).
    var median: Double {
        let sorted = seconds.sorted()
        guard !sorted.isEmpty else { return .nan }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// These samples with every value divided by `n` (per-call times of batched samples).
    func divided(by n: Int) -> Samples {
        Samples(seconds: seconds.map { $0 / Double(n) })
    }
}

/// Calls `body` `config.warmup` times, then times it repeatedly, exactly like the peers'
/// `bench()`. The sample buffer is reserved up front, so the timed loop allocates nothing
/// besides what `body` itself does.
func bench(_ config: BenchConfig, _ body: () throws -> Void) rethrows -> Samples {
    for _ in 0..<config.warmup { try body() }
    var times = [Double]()
    times.reserveCapacity(Swift.max(config.minReps, config.maxReps))
    let start = monotonicNanoseconds()
    while times.count < config.minReps || (secondsSince(start) < config.minTime && times.count < config.maxReps) {
        let t0 = monotonicNanoseconds()
        try body()
        let t1 = monotonicNanoseconds()
        times.append(Double(t1 &- t0) * 1e-9)
    }
    return Samples(seconds: times)
}
