import Foundation
import Synchronization

/// A chunk of a parallel kernel loop: runs iterations `[lo, hi)` with the captured
/// environment and returns 0 or the first failed `checkIndex` code.
typealias ParallelChunk = @convention(c) (UnsafeMutableRawPointer?, Int64, Int64) -> Int32

/// The fork-join pool that runs the outermost `parallel` loops of generated kernels.
///
/// `threadCount - 1` persistent worker threads plus the calling thread split a loop into
/// `chunksPerThread × threadCount` contiguous chunks and claim them one at a time, so a
/// worker that wakes late costs little (the others take its chunks). A loop runs serially on
/// the caller when there is one thread, fewer than two iterations, or too little estimated
/// work (iterations × the per-iteration cost estimate the kernel passes, in scalar
/// operations, below `serialThreshold`). One loop runs on the pool at a time: a caller that
/// finds it busy (another thread is running a parallel kernel) runs its loop serially, so any
/// number of threads may call kernels at once. The result is the first non-zero chunk code in
/// iteration order, i.e. the code a serial run would have returned.
///
/// Workers spin for a short while (`WorkerPool.spinLimit`) before sleeping, so the loops of
/// consecutive kernels start without a thread wake-up.
///
/// Generated code reaches the pool through `hypatia_parallel_for`, passing the runtime's
/// address as a constant baked into the module; the executor keeps the runtime alive.
package final class ParallelRuntime: @unchecked Sendable {
    /// The process-wide runtime with one thread per processor this process may run on
    /// (its CPU affinity: `taskset -c 0` gives one thread, hence no pool).
    package static let shared = ParallelRuntime()

    /// About 10 µs of vectorized work: a float32 tanh loop (22 units per element by the
    /// kernel's estimate) runs 2^18 elements in 116 µs on one Zen 4 core, about 50 units per
    /// ns. Splitting it over two threads costs 0.4–2 µs when the worker is spinning (measured:
    /// 16384 elements 7.3 → 5.2 µs, 65536 elements 30 → 17 µs).
    package static let defaultSerialThreshold = 500_000.0

    package let threadCount: Int
    /// Below this estimated work (in scalar operations) a loop runs serially.
    package let serialThreshold: Double
    private let pool: WorkerPool?

    /// Creates a runtime with `threads` participants (`threads - 1` worker threads).
    package init(threads: Int = ParallelRuntime.availableProcessors(),
                 serialThreshold: Double = ParallelRuntime.defaultSerialThreshold) {
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
        let chunks = Int(min(count, Int64(threadCount * WorkerPool.chunksPerThread)))
        let job = ParallelJob(body: body, environment: environment, lo: lo, count: count, chunks: chunks)
        return pool.run(job) ?? body(environment, lo, hi)
    }

    /// How many loops have run split across the pool so far (diagnostics and tests).
    package var pooledLoops: Int { pool?.jobsRun ?? 0 }

    /// The number of CPUs this process may run on (`sched_getaffinity`, which Glibc's Swift
    /// module does not import, so it is looked up with `dlsym`; all active processors if that
    /// fails). `ProcessInfo.activeProcessorCount` ignores the affinity.
    package static func availableProcessors() -> Int {
        typealias GetAffinity = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32
        let fallback = ProcessInfo.processInfo.activeProcessorCount
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_getaffinity") else { return fallback }
        let getAffinity = unsafeBitCast(symbol, to: GetAffinity.self)
        var mask = [UInt64](repeating: 0, count: 16)  // 1024 CPUs, glibc's cpu_set_t
        let status = mask.withUnsafeMutableBytes { getAffinity(0, $0.count, $0.baseAddress!) }
        guard status == 0 else { return fallback }
        return max(1, mask.reduce(0) { $0 + $1.nonzeroBitCount })
    }

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

/// Persistent worker threads running one job at a time with the calling thread.
///
/// A job's chunks are claimed through `ticket` (the job's generation in the high bits, the
/// next chunk in the low bits), so a worker still holding an earlier job can never claim a
/// chunk of a later one. `remaining` counts unfinished chunks; the caller returns once it is
/// zero. Waiting (workers for a job, the caller for the last chunk) spins on atomics for up
/// to `spinLimit` loads, then sleeps on `condition`.
final class WorkerPool: @unchecked Sendable {
    /// Chunks per participating thread.
    static let chunksPerThread = 4
    /// Atomic loads a waiting thread spins for before sleeping (a few tens of microseconds).
    static let spinLimit = 20_000

    private let condition = NSCondition()
    /// Held by the thread whose job is on the pool.
    private let gate = NSLock()
    private let workerCount: Int
    // Guarded by `condition`:
    private var generation = 0
    private var job: ParallelJob?
    private var stopped = false
    private var completed = 0
    // Lock-free:
    private let published = Atomic<Int>(0)
    private let ticket = Atomic<Int>(0)
    private let remaining = Atomic<Int>(0)
    /// Each chunk's code; written by the chunk's runner, read by the caller once
    /// `remaining` is zero.
    private let codes: UnsafeMutablePointer<Int32>

    /// Jobs that ran on the pool so far.
    var jobsRun: Int {
        condition.lock()
        defer { condition.unlock() }
        return completed
    }

    init(workers: Int) {
        workerCount = workers
        codes = .allocate(capacity: (workers + 1) * Self.chunksPerThread)
        for index in 1...workers {
            let thread = Thread { [self] in workerLoop() }
            thread.name = "hypatia-worker-\(index)"
            thread.start()
        }
    }

    deinit { codes.deallocate() }

    /// Ends the worker threads once they are idle.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Runs `job` with the caller taking part; nil when another job holds the pool.
    func run(_ job: ParallelJob) -> Int32? {
        precondition(job.chunks <= (workerCount + 1) * Self.chunksPerThread, "too many chunks")
        guard gate.try() else { return nil }
        defer { gate.unlock() }
        condition.lock()
        generation += 1
        let tag = generation & 0x7FFF_FFFF
        self.job = job
        remaining.store(job.chunks, ordering: .relaxed)
        ticket.store(tag << 32, ordering: .relaxed)
        published.store(generation, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
        work(job, tag: tag)
        waitForLastChunk()
        condition.lock()
        self.job = nil
        completed += 1
        condition.unlock()
        for k in 0..<job.chunks where codes[k] != 0 { return codes[k] }
        return 0
    }

    /// Claims and runs chunks of `job` (generation `tag`) until none are left.
    private func work(_ job: ParallelJob, tag: Int) {
        while true {
            let current = ticket.load(ordering: .acquiring)
            let k = current & 0xFFFF_FFFF
            guard current >> 32 == tag, k < job.chunks else { return }
            guard ticket.compareExchange(expected: current, desired: current + 1,
                                         ordering: .acquiringAndReleasing).exchanged else { continue }
            codes[k] = job.run(chunk: k)
            if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                condition.lock()
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    /// Returns once every chunk of the current job has finished.
    private func waitForLastChunk() {
        for _ in 0..<Self.spinLimit where remaining.load(ordering: .acquiring) == 0 { return }
        condition.lock()
        while remaining.load(ordering: .acquiring) > 0 { condition.wait() }
        condition.unlock()
    }

    private func workerLoop() {
        var seen = 0
        while true {
            for _ in 0..<Self.spinLimit where published.load(ordering: .acquiring) != seen { break }
            condition.lock()
            while generation == seen, !stopped { condition.wait() }
            if stopped {
                condition.unlock()
                return
            }
            seen = generation
            let current = job
            condition.unlock()
            if let current { work(current, tag: seen & 0x7FFF_FFFF) }
        }
    }
}
