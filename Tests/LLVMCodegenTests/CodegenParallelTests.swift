import Foundation
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR
@testable import LLVMCodegen

/// Parallel loops: the same bits with 1, 2 and 3 threads, captured values of every dtype,
/// tiny trip counts, and concurrent callers.
@Suite struct CodegenParallelTests {
    static let runtimes = [ParallelRuntime(threads: 1), ParallelRuntime(threads: 2, serialThreshold: 0),
                           ParallelRuntime(threads: 3, serialThreshold: 0)]

    /// Top-level values of every dtype (and a reduction's result) used inside a parallel loop:
    /// `out[i] = select(flag, x[i]*s32 + f64→f32 + total, i32 + u8 + i64)` over `n`.
    static let captures: Kernel = {
        let x = CG.load(0, CG.val(0))
        let floats = CG.op(.add, CG.op(.add, CG.op(.mul, x, CG.val(1)), CG.op(.cast(.float32), CG.val(2))), CG.val(9))
        let ints = CG.op(.add, CG.op(.add, CG.op(.cast(.float32), CG.val(3)), CG.op(.cast(.float32), CG.val(4))),
                         CG.op(.cast(.float32), CG.val(5)))
        return Kernel(
            name: "captures", buffers: [CG.read("x", .float32), CG.read("s", .float32), CG.write("out", .float32)],
            paramNames: ["n"],
            body: [.assign(CG.v(1), .float32, CG.op(.mul, CG.load(1, CG.i(0)), CG.f32(2))),
                   .assign(CG.v(2), .float64, .constant(0.125, .float64)),
                   .assign(CG.v(3), .int32, .constant(-7, .int32)),
                   .assign(CG.v(4), .uint8, .constant(250, .uint8)),
                   .assign(CG.v(5), .int64, .param(0)),
                   .assign(CG.v(6), .bool, CG.op(.gt, CG.load(1, CG.i(0)), CG.f32(0))),
                   .loop(Loop(variable: CG.v(7), upper: CG.i(4),
                              carried: [CarriedValue(id: CG.v(9), dtype: .float32, initial: CG.f32(0))],
                              body: [.yield([CG.op(.add, CG.val(9), CG.load(0, CG.val(7)))])])),
                   .loop(Loop(variable: CG.v(0), upper: .param(0), body: [
                       .store(buffer: 2, index: CG.val(0), value: CG.op(.select, CG.val(6), floats, ints))],
                              parallel: true, vectorize: true))])
    }()

    @Test(arguments: [0, 1, 2, 3, 5, 1000])
    func capturedValuesReachEveryChunk(_ n: Int) throws {
        for scale in [1.5, -1.5] {
            let size = max(n, 4)
            let inputs = [CG.t([size], CG.values(size, seed: 5)), CG.t([1], [scale]), Tensor(zeros: [size])]
            for runtime in Self.runtimes {
                let (llvm, reference) = try CG.both(Self.captures, inputs, [Int64(n)],
                                                    compiler: LLVMKernelCompiler(runtime: runtime))
                #expect(llvm.code == 0)
                #expect(CG.mismatches(llvm.tensors[2], reference.tensors[2]).isEmpty,
                        "n \(n), scale \(scale), \(runtime.threadCount) threads")
            }
        }
    }

    /// A parallel elementwise kernel with inline math gives identical bits on any thread count.
    @Test func identicalResultsWithOneTwoAndThreeThreads() throws {
        let n = 100_003
        let x = CG.load(0, CG.val(0))
        let value = CG.op(.mul, CG.op(.tanh, x), CG.op(.add, CG.op(.erf, x), CG.op(.pow, CG.op(.abs, x), CG.f32(1.5))))
        let kernel = Kernel(name: "par", buffers: [CG.read("x", .float32), CG.write("y", .float32)], paramNames: ["n"],
                            body: [.loop(Loop(variable: CG.v(0), upper: .param(0), body: [
                                .store(buffer: 1, index: CG.val(0), value: value)], parallel: true, vectorize: true))])
        let inputs = [CG.t([n], CG.values(n, seed: 11, scale: 4)), Tensor(zeros: [n])]
        let outputs = try Self.runtimes.map { runtime -> Tensor in
            let executor = try LLVMKernelCompiler(runtime: runtime).compile([kernel])
            let result = CG.run(executor, 0, inputs, [Int64(n)])
            #expect(result.code == 0)
            return result.tensors[1]
        }
        #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2])
        #expect(Self.runtimes[1].pooledLoops > 0 && Self.runtimes[2].pooledLoops > 0)
        let reference = CG.run(try KernelInterpreter().compile([kernel]), 0, inputs, [Int64(n)])
        let worst = (0..<n).map { Swift.abs(outputs[1].double(at: $0) - reference.tensors[1].double(at: $0)) }.max()!
        #expect(worst <= 1e-5)
    }

    /// One executor called from many threads at once, each with its own buffers; the
    /// parallel loops share (or skip, when busy) the runtime's pool.
    @Test func concurrentCallersGetTheirOwnResults() throws {
        let n = 20_000
        let kernel = CG.elementwise("par_sig", .sigmoid, [.float32], result: .float32, parallel: true)
        let executor = try LLVMKernelCompiler(runtime: Self.runtimes[1]).compile([kernel])
        let inputs = (0..<8).map { CG.t([n], CG.values(n, seed: UInt64(30 + $0), scale: 8)) }
        let expected = inputs.map { CG.run(executor, 0, [$0, Tensor(zeros: [n])], [Int64(n)]).tensors[1] }
        let failures = ConcurrencyTests.Failures()
        DispatchQueue.concurrentPerform(iterations: 32) { k in
            let result = CG.run(executor, 0, [inputs[k % 8], Tensor(zeros: [n])], [Int64(n)])
            if result.code != 0 || result.tensors[1] != expected[k % 8] { failures.add("call \(k)") }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
    }

    /// The chunks of a job partition the iteration space exactly, in order.
    @Test func chunksPartitionTheRange() {
        let record: ParallelChunk = { environment, lo, hi in
            let slots = environment!.assumingMemoryBound(to: Int64.self)
            let k = Int(slots[0])
            slots[1 + 2 * k] = lo
            slots[2 + 2 * k] = hi
            slots[0] += 1
            return 0
        }
        for (lo, count, chunks) in [(0, 10, 3), (5, 2, 4), (-7, 100, 2), (0, 1, 1)] as [(Int64, Int64, Int)] {
            var slots = [Int64](repeating: 0, count: 1 + 2 * chunks)
            slots.withUnsafeMutableBytes { raw in
                let job = ParallelJob(body: record, environment: raw.baseAddress, lo: lo, count: count, chunks: chunks)
                for k in 0..<chunks { #expect(job.run(chunk: k) == 0) }
            }
            let ranges: [(Int64, Int64)] = (0..<Int(slots[0])).map { k in
                let start: Int64 = slots[1 + 2 * k]
                return (start, slots[2 + 2 * k])
            }
            #expect(ranges.count == min(chunks, Int(count)))
            #expect(ranges.first!.0 == lo && ranges.last!.1 == lo + count, "\(ranges)")
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.1 == $1.0 }, "\(ranges)")
            #expect(ranges.allSatisfy { $0.1 - $0.0 >= count / Int64(chunks) })
        }
    }

    /// The pool runs chunks on its workers and returns the first non-zero code in iteration
    /// order; small loops stay serial.
    @Test func poolReturnsTheFirstFailingChunksCode() {
        let failing: ParallelChunk = { _, lo, hi in
            if lo <= 3 && 3 < hi { return 5 }
            if lo <= 8 && 8 < hi { return 9 }
            return 0
        }
        let runtime = ParallelRuntime(threads: 2, serialThreshold: 0)
        #expect(runtime.parallelFor(failing, nil, lo: 0, hi: 10, work: 1) == 5)
        #expect(runtime.parallelFor(failing, nil, lo: 4, hi: 10, work: 1) == 9)
        #expect(runtime.parallelFor(failing, nil, lo: 10, hi: 4, work: 1) == 0)
        #expect(runtime.pooledLoops == 2)
        let thrifty = ParallelRuntime(threads: 2)
        #expect(thrifty.parallelFor(failing, nil, lo: 0, hi: 10, work: 100) == 5)
        #expect(thrifty.pooledLoops == 0)
        #expect(thrifty.parallelFor(failing, nil, lo: 0, hi: 10_000, work: 100) == 5)
        #expect(thrifty.pooledLoops == 1)
    }

    /// Thousands of back-to-back jobs of varying sizes: every iteration of every job runs
    /// exactly once (a worker still finishing one job never claims chunks of the next).
    @Test func consecutiveJobsRunEveryIterationOnce() {
        let bump: ParallelChunk = { environment, lo, hi in
            let counters = environment!.assumingMemoryBound(to: Int32.self)
            for i in lo..<hi { counters[Int(i)] += 1 }
            return 0
        }
        for threads in [2, 3] {
            let runtime = ParallelRuntime(threads: threads, serialThreshold: 0)
            var counters = [Int32](repeating: 0, count: 600)
            var rounds = 0
            counters.withUnsafeMutableBufferPointer { buffer in
                for round in 0..<3000 {
                    let hi = Int64(2 + (round * 37) % 598)
                    #expect(runtime.parallelFor(bump, UnsafeMutableRawPointer(buffer.baseAddress), lo: 0, hi: hi,
                                                work: 1) == 0)
                    rounds += 1
                }
            }
            let expected = (0..<600).map { i in (0..<rounds).filter { i < 2 + ($0 * 37) % 598 }.count }
            #expect(counters.map(Int.init) == expected, "\(runtime.threadCount) threads")
            #expect(runtime.pooledLoops == rounds)
        }
    }

    /// The default thread count follows the CPU affinity (`taskset`), not the machine size.
    @Test func availableProcessorsFollowTheAffinity() {
        let available = ParallelRuntime.availableProcessors()
        #expect(available >= 1 && available <= ProcessInfo.processInfo.activeProcessorCount)
        #expect(ParallelRuntime.shared.threadCount == available)
    }
}
