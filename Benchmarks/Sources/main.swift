// hypatia-bench: the workloads of bench/README.md (W1, W2, W3, W4 and the call overhead; W5
// once scan exists), timed like the peer scripts, next to the peers' numbers.
// Run with scripts/bench.sh (unsets OPENBLAS_CORETYPE, pins to CPU 0) or
// `swift run -c release hypatia-bench [options]`; see docs/benchmarks.md.
import Foundation
import Hypatia

/// Prints `message` to standard error.
func warn(_ message: String) {
    FileHandle.standardError.write(Data("hypatia-bench: \(message)\n".utf8))
}

#if DEBUG
let buildConfiguration = "debug"
#else
let buildConfiguration = "release"
#endif

/// Runs the requested workloads in order (W4 first, in fresh processes) and prints progress.
func runAll(_ options: BenchOptions) throws -> [Measurement] {
    let config = options.quick ? BenchConfig.quick : .peers30
    let data = BenchData(directory: options.dataDirectory)
    var results: [Measurement] = []
    let order = options.workloads.contains(.w4) ? [.w4] + options.workloads.filter { $0 != .w4 } : options.workloads
    for id in order where id.isAvailable {
        print("running \(id.rawValue): \(id.summary)")
        let result: Measurement
        switch id {
        case .w1: result = try runW1(config, options)
        case .w2b128: result = try runW2(id, batch: 128, data: data, config: config, options)
        case .w2b20: result = try runW2(id, batch: 20, data: data, config: config, options)
        case .w3: result = try runW3(data: data, config: config, options)
        case .w4: result = try runColdCompile(runs: options.quick ? 1 : 3, options: options)
        case .overhead: result = try runOverhead(options.quick ? .quick : .peers, options)
        case .w5: continue
        }
        print("  \(id.rawValue): min \(format(result.min)) \(id.unit.rawValue), median \(format(result.median)) "
              + "\(id.unit.rawValue), \(result.reps) reps")
        results.append(result)
    }
    return results
}

/// Startup warnings about settings that make the numbers incomparable with the peers'.
func warnAboutSettings(_ options: BenchOptions) {
    if let core = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] {
        warn("warning: OPENBLAS_CORETYPE=\(core) is set; it forces OpenBLAS onto other kernels (Haswell halves "
             + "SGEMM on this machine). The peers ran with it unset: use scripts/bench.sh or env -u OPENBLAS_CORETYPE.")
    }
    if buildConfiguration == "debug" {
        warn("warning: this is a debug build; run with swift run -c release hypatia-bench")
    }
    if options.threads > 2 {
        warn("warning: the peer table has 1T and 2T rows only; comparing \(options.threads) threads with 1T")
    }
}

let options: BenchOptions
do {
    options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    print(error)
    exit(2)
}
BLAS.threadCount = options.threads

if options.w4Child {
    do {
        try runColdCompileChild(data: BenchData(directory: options.dataDirectory))
        exit(0)
    } catch {
        warn("error: \(error)")
        exit(1)
    }
}

warnAboutSettings(options)
let backendName = options.backend == .plan ? "plan (lower, LLVM kernels, PlanRunner)"
    : "function(...) (LLVM plan backend)"
print("hypatia-bench: \(buildConfiguration) build, backend: \(backendName), OpenBLAS threads "
      + "\(BLAS.threadCount), CPUs allowed \(allowedCPUs() ?? "?")\(options.quick ? ", quick" : "")")
do {
    let results = try runAll(options)
    let peerRows = Dictionary(uniqueKeysWithValues: options.workloads.compactMap { id in
        PeerTable.row(id, threads: options.threads).map { (id.rawValue, $0) }
    })
    let report = Report(date: ISO8601DateFormatter().string(from: Date()), build: buildConfiguration,
                        backend: backendName, threads: options.threads, quick: options.quick,
                        openblasCoretype: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"],
                        cpusAllowed: allowedCPUs(), results: results,
                        notAvailable: options.workloads.filter { !$0.isAvailable }, peers: peerRows)
    let peerColumn = options.threads == 2 ? "2T" : "1T"
    print("\nHypatia vs peers (\(peerColumn) peer numbers from bench/README.md; W4 peers used 2 threads; "
          + "best/ours uses our min)\n")
    print(report.table(options.workloads))
    try writeJSON(report, to: options.jsonPath)
    print("\nwrote \(options.jsonPath)")
} catch {
    warn("error: \(error)")
    exit(1)
}
