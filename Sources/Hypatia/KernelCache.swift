import KernelIR
import LLVMCodegen
import Synchronization

/// Compiled LLVM modules shared by every compiled function of the process, keyed by the
/// kernels they were made from (`Kernel` is a structural value: compiling the same function
/// twice, or two functions that lower to the same kernels, JIT-compiles one module).
///
/// Bounded: at most `capacity` modules are kept, the least recently used is dropped first
/// (a function still using a dropped module keeps it alive). Thread-safe; two threads missing
/// on the same kernels at once may both compile, and the first module stored wins.
final class KernelCache: Sendable {
    /// The cache `function(...)` uses.
    static let shared = KernelCache(capacity: 64)

    /// How lookups went so far.
    struct Statistics: Sendable, Equatable {
        var hits = 0
        var misses = 0
        var entries = 0
    }

    private struct Entry {
        var executor: LLVMKernelExecutor
        var lastUse: Int
    }

    private struct State {
        var entries: [[Kernel]: Entry] = [:]
        var clock = 0
        var statistics = Statistics()
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        precondition(capacity > 0, "a kernel cache needs room for one module")
        self.capacity = capacity
    }

    /// The cached module for `kernels`, or `compile()`'s (then cached); `hit` tells which.
    func executor(for kernels: [Kernel], compile: () throws -> LLVMKernelExecutor) throws
        -> (executor: LLVMKernelExecutor, hit: Bool) {
        let cached: LLVMKernelExecutor? = state.withLock { state in
            state.clock += 1
            guard var entry = state.entries[kernels] else {
                state.statistics.misses += 1
                return nil
            }
            state.statistics.hits += 1
            entry.lastUse = state.clock
            state.entries[kernels] = entry
            return entry.executor
        }
        if let cached { return (cached, true) }
        let compiled = try compile()
        let stored = state.withLock { state in
            state.clock += 1
            if let existing = state.entries[kernels] { return existing.executor }
            if state.entries.count >= capacity,
               let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
                state.entries[oldest] = nil
            }
            state.entries[kernels] = Entry(executor: compiled, lastUse: state.clock)
            state.statistics.entries = state.entries.count
            return compiled
        }
        return (stored, false)
    }

    /// Hits, misses and the number of modules held.
    var statistics: Statistics { state.withLock { $0.statistics } }

    /// True if a module for `kernels` is cached (does not count as a use).
    func contains(_ kernels: [Kernel]) -> Bool { state.withLock { $0.entries[kernels] != nil } }
}
