import Foundation

/// Runs independent compile jobs on all cores (`DispatchQueue.concurrentPerform`).
enum ParallelCompile {
    /// `[body(0), ..., body(count - 1)]`, computed concurrently; rethrows the first error by index.
    static func map<T>(_ count: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        if count == 1 { return [try body(0)] }
        let results = ResultBox<T>(count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            results.set(index, Result { try body(index) })
        }
        return try results.values()
    }
}

/// Per-index results written from several threads (guarded by a lock).
private final class ResultBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<T, any Error>?]

    init(_ count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<T, any Error>) {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = result
    }

    func values() throws -> [T] {
        lock.lock()
        defer { lock.unlock() }
        return try slots.map { try $0!.get() }
    }
}
