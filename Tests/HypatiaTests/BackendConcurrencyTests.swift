import Dispatch
import Foundation
import Hypatia
import Synchronization
import Testing

/// Compiling and calling LLVM-compiled functions from several threads at once.
@Suite struct BackendConcurrencyTests {
    /// `tanh(x * k) + sum(x)`: k makes a thread's kernels its own, or shared with another's.
    static func compile(_ k: Double, mode: Mode) throws -> CompiledFunction {
        let x = vector("x")
        return try function(inputs: [x], outputs: [tanh(x * k) + x.sum()], mode: mode, name: "t\(k)")
    }

    static func expected(_ x: [Double], _ k: Double) -> [Double] {
        let total = x.reduce(0, +)
        return x.map { Foundation.tanh($0 * k) + total }
    }

    /// Eight threads each compile four functions (two of which every thread compiles too, so
    /// they race on the kernel cache) and call them; all results are right.
    @Test func compileAndCallFromSeveralThreads() throws {
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            do {
                let scales = [1.5, 2.5, 3.0 + Double(thread), 4.0 + Double(thread)]
                for (i, k) in scales.enumerated() {
                    let f = try Self.compile(k, mode: i == 3 ? .debug : .fastRun)
                    for call in 0..<10 {
                        let values = (0..<37).map { Double(($0 * 7 + call + thread) % 11) / 8 - 0.5 }
                        let got = try f(Tensor(values.map { Float($0) }))[0].scalars
                        let want = Self.expected(values.map { Double(Float($0)) }, k)
                        if !close(got, want, tolerance: 1e-5) { failures.withLock { $0.append("k \(k): \(got)") } }
                    }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 }.prefix(3))")
    }

    /// One compiled training step called from four threads: every update is applied once.
    @Test func concurrentTrainingStepsUpdateAtomically() throws {
        let x = matrix("x", shape: [nil, 3])
        let W = shared(Tensor(zeros: [3, 2]), name: "W")
        let steps = shared(Tensor(0, dtype: .float64), name: "steps")
        let cost = sum(dot(x, W) - 1)
        let train = try function(inputs: [x], outputs: [cost],
                                 updates: [(W, W - 0.001 * grad(cost, wrt: W)), (steps, steps + 1)])
        let batch = try Tensor(shape: [2, 3], scalars: [Float(1), 2, 3, 4, 5, 6])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<25 {
                do { _ = try train(batch) } catch { failures.withLock { $0.append("\(error)") } }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        #expect(steps.value.scalar == 100)
        // d cost / dW[i][j] = column sum i of x = [5, 7, 9]; 100 steps of 0.001 each.
        #expect(close(W.value.scalars, [-0.5, -0.5, -0.7, -0.7, -0.9, -0.9], tolerance: 1e-5), "\(W.value.scalars)")
    }
}
