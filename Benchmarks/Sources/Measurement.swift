/// The workloads of `bench/README.md` plus the call-overhead probe, in table order.
enum WorkloadID: String, CaseIterable, Codable, Sendable {
    case w1 = "W1"
    case w2b128 = "W2 b128"
    case w2b20 = "W2 b20"
    case w3 = "W3"
    case w4 = "W4"
    case w5 = "W5"
    case overhead

    /// The unit results are reported in.
    var unit: TimeUnit {
        switch self {
        case .w1, .w2b128, .w2b20, .w3, .w5: return .milliseconds
        case .w4: return .seconds
        case .overhead: return .microseconds
        }
    }

    /// False for workloads whose ops do not exist yet (scan).
    var isAvailable: Bool {
        switch self {
        case .w1, .w2b128, .w2b20, .w3, .w4, .overhead: return true
        case .w5: return false
        }
    }

    /// One-line description for the table legend.
    var summary: String {
        switch self {
        case .w1: return "fused elementwise over 2^22 float32"
        case .w2b128: return "MLP 784-500-10 SGD step, batch 128"
        case .w2b20: return "MLP 784-500-10 SGD step, batch 20"
        case .w3: return "LeNet SGD step, batch 64 (conv 5x5 ×2, maxpool 2x2, dense 800-500-10)"
        case .w4: return "cold compile of W2 b128 to its first result (fresh process)"
        case .w5: return "LSTM SGD step (needs scan)"
        case .overhead: return "call of a compiled a + b on 1-element float32 vectors"
        }
    }
}

/// A time unit for reporting.
enum TimeUnit: String, Codable, Sendable {
    case seconds = "s"
    case milliseconds = "ms"
    case microseconds = "us"

    /// How many of this unit make one second.
    var perSecond: Double {
        switch self {
        case .seconds: return 1
        case .milliseconds: return 1e3
        case .microseconds: return 1e6
        }
    }
}

/// The result of one workload: min and median in `unit`, plus workload-specific details
/// (first loss, verification error, calls per sample, ...).
struct Measurement: Codable, Sendable {
    let workload: WorkloadID
    let unit: TimeUnit
    let min: Double
    let median: Double
    let reps: Int
    var details: [String: Double] = [:]

    init(_ workload: WorkloadID, _ samples: Samples, details: [String: Double] = [:]) {
        self.workload = workload
        unit = workload.unit
        min = samples.min * unit.perSecond
        median = samples.median * unit.perSecond
        reps = samples.seconds.count
        self.details = details
    }
}

/// A benchmark that could not run or computed a wrong result; the process exits non-zero.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
