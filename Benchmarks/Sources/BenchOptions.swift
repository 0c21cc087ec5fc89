import Foundation

/// Command-line options of `hypatia-bench`.
struct BenchOptions: Sendable {
    /// The workloads to run, in table order.
    var workloads: [WorkloadID] = WorkloadID.allCases
    /// Where the JSON results go.
    var jsonPath = "bench-results/latest.json"
    /// Fewer repetitions (a smoke test of the harness).
    var quick = false
    /// OpenBLAS threads.
    var threads = 1
    /// The directory holding the `.npy` inputs and `expected.json`.
    var dataDirectory = defaultDataDirectory()
    /// Internal: run only the cold W4 compile and print its result as one JSON line.
    var w4Child = false
    /// Hidden: the executor the timed functions run on (`--backend plan` drives the plan
    /// backend directly; W4 always uses `function(...)`).
    var backend = BenchBackend.default
    /// Hidden: with `--backend plan`, print the fastest time of each plan step first.
    var profileSteps = false

    static let usage = """
        usage: swift run -c release hypatia-bench [options]
          --workloads LIST  comma-separated subset of W1,W2,W3,W4,W5,overhead (default: all;
                            W2 runs batch 128 and batch 20; W5 is listed as n/a)
          --json PATH       where to write the results (default bench-results/latest.json)
          --quick           1 warm-up and 3 timed calls per workload, one W4 process
          --threads N       OpenBLAS threads (default 1)
          --data DIR        the benchmark inputs (default Benchmarks/data of this checkout)
        """

    /// Parses `arguments` (without the program name); throws `BenchFailure` with a message.
    static func parse(_ arguments: [String]) throws -> BenchOptions {
        var options = BenchOptions()
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = rest.popFirst() else { throw BenchFailure("\(flag) needs a value\n\(usage)") }
            return next
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--workloads": options.workloads = try parseWorkloads(try value(flag))
            case "--json": options.jsonPath = try value(flag)
            case "--quick": options.quick = true
            case "--threads":
                let text = try value(flag)
                guard let n = Int(text), n >= 1 else { throw BenchFailure("--threads needs a positive integer, got \(text)") }
                options.threads = n
            case "--data": options.dataDirectory = try value(flag)
            case "--w4-child": options.w4Child = true
            case "--profile-steps": options.profileSteps = true
            case "--backend":
                let text = try value(flag)
                guard let backend = BenchBackend(rawValue: text) else {
                    throw BenchFailure("--backend is default or plan, got \(text)")
                }
                options.backend = backend
            case "-h", "--help": throw BenchFailure(usage)
            default: throw BenchFailure("unknown option \(flag)\n\(usage)")
            }
        }
        return options
    }

    /// The workloads named in `list` (case-insensitive; `W2` stands for both batch sizes).
    private static func parseWorkloads(_ list: String) throws -> [WorkloadID] {
        var chosen = Set<WorkloadID>()
        for name in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            switch name {
            case "w1": chosen.insert(.w1)
            case "w2": chosen.formUnion([.w2b128, .w2b20])
            case "w2b128", "w2 b128": chosen.insert(.w2b128)
            case "w2b20", "w2 b20": chosen.insert(.w2b20)
            case "w3": chosen.insert(.w3)
            case "w4": chosen.insert(.w4)
            case "w5": chosen.insert(.w5)
            case "overhead": chosen.insert(.overhead)
            default: throw BenchFailure("unknown workload \"\(name)\" (W1, W2, W2b128, W2b20, W3, W4, W5, overhead)")
            }
        }
        return WorkloadID.allCases.filter(chosen.contains)
    }
}

/// `Benchmarks/data` next to this source file's folder if it exists (a `swift run` from any
/// directory), else `Benchmarks/data` relative to the working directory.
private func defaultDataDirectory() -> String {
    let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    let data = sources.deletingLastPathComponent().appendingPathComponent("data").path
    return FileManager.default.fileExists(atPath: data) ? data : "Benchmarks/data"
}
