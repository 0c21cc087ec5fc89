import Foundation
import Hypatia

/// W4 in the child process (`--w4-child`): loads the W2 b128 data, then times building the
/// graph, its gradients, `function(...)` and the first call up to the loss as a Swift number,
/// with nothing compiled before in this process (like `peers/w2.py --compile`). Prints one
/// JSON line `{"compile_s": ..., "loss0": ...}`.
func runColdCompileChild(data: BenchData) throws {
    let mlp = try MLPData(batch: 128, from: data)
    let start = monotonicNanoseconds()
    let step = try MLPStep(mlp)
    let loss = try step.step()
    let seconds = secondsSince(start)
    try checkFirstLoss(loss, mlp)
    let line = try JSONEncoder().encode(["compile_s": seconds, "loss0": loss])
    print(String(decoding: line, as: UTF8.self))
}

/// W4: runs this executable with `--w4-child` `runs` times, each a fresh process, and returns
/// the min and median of the reported cold compile times.
func runColdCompile(runs: Int, options: BenchOptions) throws -> Measurement {
    var seconds: [Double] = []
    var loss0 = Double.nan
    for _ in 0..<runs {
        let result = try runChild(["--w4-child", "--threads", "\(options.threads)", "--data", options.dataDirectory])
        guard let compile = result["compile_s"], let loss = result["loss0"] else {
            throw BenchFailure("W4: the child process printed \(result), expected compile_s and loss0")
        }
        seconds.append(compile)
        loss0 = loss
    }
    return Measurement(.w4, Samples(seconds: seconds), details: ["loss0": loss0])
}

/// Runs this executable with `arguments` and decodes the last line of its output.
private func runChild(_ arguments: [String]) throws -> [String: Double] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: currentExecutablePath())
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: output, as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw BenchFailure("W4: the child process exited with status \(process.terminationStatus): \(text)")
    }
    let last = text.split(separator: "\n").last.map(String.init) ?? ""
    guard let values = try? JSONDecoder().decode([String: Double].self, from: Data(last.utf8)) else {
        throw BenchFailure("W4: cannot parse the child process output \"\(text)\"")
    }
    return values
}

/// The path of the running executable (`/proc/self/exe` resolved; else `argv[0]`).
private func currentExecutablePath() -> String {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
    return Bundle.main.executablePath ?? CommandLine.arguments[0]
}
