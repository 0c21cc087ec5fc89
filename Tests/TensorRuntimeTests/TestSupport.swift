import Foundation
import Testing
@testable import TensorRuntime

/// A fresh temporary directory for one test, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "hypatia-runtime-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// `name` inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs python3 scripts for the numpy interoperability tests.
enum Python {
    /// True when `python3 -c "import numpy"` succeeds; tests needing numpy are skipped otherwise.
    static let hasNumpy: Bool = {
        guard let result = try? run("import numpy", arguments: []) else { return false }
        return result.status == 0
    }()

    /// Runs `python3 -c script arguments...`; returns exit status and combined output.
    static func run(_ script: String, arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Expects `body` to throw a `TensorError` of the given kind (and nothing else).
func expectTensorError(_ kind: TensorError.Kind, sourceLocation: SourceLocation = #_sourceLocation,
                       _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected TensorError.\(kind), nothing thrown", sourceLocation: sourceLocation)
    } catch let error as TensorError {
        #expect(error.kind == kind, "got \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected TensorError.\(kind), got \(error)", sourceLocation: sourceLocation)
    }
}
