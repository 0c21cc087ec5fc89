import Foundation

/// A chunk of a parallel kernel loop: runs iterations `[lo, hi)` with the captured
/// environment and returns 0 or the first failed `checkIndex` code.
typealias ParallelChunk = @convention(c) (UnsafeMutableRawPointer?, Int64, Int64) -> Int32

/// The fork-join pool that runs the outermost `parallel` loops of generated kernels.
///
/// `threadCount - 1` persistent worker threads plus the calling thread each run one
/// contiguous chunk of the iteration space (static partition). A loop runs serially on the
/// caller when there is one thread, fewer than two iterations, or too little estimated work
/// (iterations × the per-iteration cost estimate the kernel passes, in scalar operations,
/// below `serialThreshold`). One loop runs on the pool at a time: a caller that finds it busy
/// (another thread is running a parallel kernel) runs its loop serially, so any number of
/// threads may call kernels at once. The result is the first non-zero chunk code in
/// iteration order, i.e. the code a serial run would have returned.
///
/// Generated code reaches the pool through `hypatia_parallel_for`, passing the runtime's
/// address as a constant baked into the module; the executor keeps the runtime alive.
package final class ParallelRuntime: @unchecked Sendable {
    /// The process-wide runtime with one thread per active processor.
    package static let shared = ParallelRuntime()

    package let threadCount: Int
    /// Below this estimated work (in scalar operations) a loop runs serially.
    package let serialThreshold: Double
    private let pool: WorkerPool?

    /// Creates a runtime with `threads` participants (`threads - 1` worker threads).
    package init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, serialThreshold: Double = 100_000) {
        threadCount = max(1, threads)
        self.serialThreshold = serialThreshold
        pool = threadCount > 1 ? WorkerPool(workers: threadCount - 1) : nil
    }

    deinit { pool?.stop() }

    /// Runs `body` over `[lo, hi)`; `work` is the estimated cost of one iteration.
    func parallelFor(_ body: ParallelChunk, _ environment: UnsafeMutableRawPointer?,
                     lo: Int64, hi: Int64, work: Double) -> Int32 {
        guard hi > lo else { return 0 }
        let count = hi - lo
        guard let pool, count >= 2, Double(count) * max(work, 1) >= serialThreshold else {
            return body(environment, lo, hi)
        }
        let job = ParallelJob(body: body, environment: environment, lo: lo, count: count, chunks: threadCount)
        return pool.run(job) ?? body(environment, lo, hi)
    }

    /// How many loops have run split across the pool so far (diagnostics and tests).
    package var pooledLoops: Int { pool?.jobsRun ?? 0 }

    /// The address of `hypatia_parallel_for`, which the JIT binds the generated calls to.
    static var entryAddress: UnsafeRawPointer {
        unsafeBitCast(hypatiaParallelFor as ParallelEntry, to: UnsafeRawPointer.self)
    }

    /// The symbol generated code calls.
    static let entrySymbol = "hypatia_parallel_for"
}

/// `hypatia_parallel_for(runtime, chunk, environment, lo, hi, work)`.
typealias ParallelEntry = @convention(c) (UnsafeRawPointer, ParallelChunk, UnsafeMutableRawPointer?, Int64, Int64,
                                          Double) -> Int32

/// The C entry point generated kernels call for a parallel loop (see `ParallelRuntime`).
@_cdecl("hypatia_parallel_for")
func hypatiaParallelFor(_ runtime: UnsafeRawPointer, _ body: ParallelChunk, _ environment: UnsafeMutableRawPointer?,
                        _ lo: Int64, _ hi: Int64, _ work: Double) -> Int32 {
    Unmanaged<ParallelRuntime>.fromOpaque(runtime).takeUnretainedValue()
        .parallelFor(body, environment, lo: lo, hi: hi, work: work)
}

/// One parallel loop split into `chunks` contiguous, nearly equal chunks.
struct ParallelJob {
    let body: ParallelChunk
    let environment: UnsafeMutableRawPointer?
    let lo: Int64
    let count: Int64
    let chunks: Int

    /// Runs chunk `k` (empty chunks return 0 without calling the body).
    func run(chunk k: Int) -> Int32 {
        let n = Int64(chunks), index = Int64(k)
        let base = count / n, extra = count % n
        let start = lo + base * index + min(index, extra)
        let end = start + base + (index < extra ? 1 : 0)
        return end > start ? body(environment, start, end) : 0
    }
}

/// Persistent worker threads waiting for one job at a time.
final class WorkerPool: @unchecked Sendable {
    private let condition = NSCondition()
    /// Held by the thread whose job is on the pool.
    private let gate = NSLock()
    private let workerCount: Int
    // Guarded by `condition`:
    private var generation = 0
    private var job: ParallelJob?
    private var remaining = 0
    private var codes: [Int32] = []
    private var stopped = false
    private var completed = 0

    /// Jobs that ran on the pool so far.
    var jobsRun: Int {
        condition.lock()
        defer { condition.unlock() }
        return completed
    }

    init(workers: Int) {
        workerCount = workers
        for index in 1...workers {
            let thread = Thread { [self] in workerLoop(chunk: index) }
            thread.name = "hypatia-worker-\(index)"
            thread.start()
        }
    }

    /// Ends the worker threads once they are idle.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Runs `job` with the caller as chunk 0; nil when another job holds the pool.
    func run(_ job: ParallelJob) -> Int32? {
        guard gate.try() else { return nil }
        defer { gate.unlock() }
        condition.lock()
        self.job = job
        codes = Array(repeating: 0, count: job.chunks)
        remaining = workerCount
        generation += 1
        condition.broadcast()
        condition.unlock()
        let first = job.run(chunk: 0)
        condition.lock()
        defer { condition.unlock() }
        while remaining > 0 { condition.wait() }
        codes[0] = first
        self.job = nil
        completed += 1
        return codes.first { $0 != 0 } ?? 0
    }

    private func workerLoop(chunk index: Int) {
        var seen = 0
        while true {
            condition.lock()
            while generation == seen, !stopped { condition.wait() }
            guard !stopped, let job else {
                condition.unlock()
                return
            }
            seen = generation
            condition.unlock()
            let code = job.run(chunk: index)
            condition.lock()
            codes[index] = code
            remaining -= 1
            if remaining == 0 { condition.broadcast() }
            condition.unlock()
        }
    }
}
