import Foundation
import Testing
@testable import LLVMCodegen

/// Compiling from several threads at once on one JIT (the lock discipline of the facts note).
@Suite struct ConcurrencyTests {
    /// Thread-safe collection of failure messages.
    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var messages: [String] = []
        func add(_ message: String) { lock.lock(); messages.append(message); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return messages }
    }

    @Test func concurrentCompilesProduceWorkingKernels() throws {
        let jit = try JITCompiler()
        let failures = Failures()
        let inputs: [Float] = (0..<257).map { Float($0 - 128) / 16 }
        DispatchQueue.concurrentPerform(iterations: 24) { iteration in
            let function = MathFunction.allCases[iteration % MathFunction.allCases.count]
            do {
                let kernel = try MathKernel(function, jit: jit)
                let report = AccuracyReport.measure(kernel, on: inputs)
                if report.maxUlp > 4 { failures.add("\(function.rawValue) #\(iteration): \(report)") }
            } catch {
                failures.add("\(function.rawValue) #\(iteration): \(error)")
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
    }
}
