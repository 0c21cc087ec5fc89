import Foundation
import Testing
import TensorRuntime
@testable import HypatiaData

/// A fresh temporary directory for one test, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "hypatia-data-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// `name` inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Gzip-compresses `bytes` with zlib's deflate (windowBits 15 + 16 writes a gzip wrapper).
func gzip(_ bytes: [UInt8]) -> [UInt8] {
    Zlib.deflate(bytes, windowBits: 15 + 16)
}

/// Writes `bytes` to `path`, gzip-compressed.
func writeGzipped(_ bytes: [UInt8], to path: String) throws {
    try Data(gzip(bytes)).write(to: URL(fileURLWithPath: path))
}

/// Random bytes from a seeded generator.
func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var g = RandomGenerator(seed: seed)
    return (0..<count).map { _ in UInt8(truncatingIfNeeded: g.next32()) }
}

/// Expects `body` to throw a `DataError` of one of the given kinds.
func expectDataError(_ kinds: Set<DataError.Kind>, sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected DataError \(kinds), nothing thrown", sourceLocation: sourceLocation)
    } catch let error as DataError {
        #expect(kinds.contains(error.kind), "got \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected DataError \(kinds), got \(error)", sourceLocation: sourceLocation)
    }
}

/// The repository's bundled MNIST directory, found from this file's path.
let bundledMNISTDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data/mnist").path
