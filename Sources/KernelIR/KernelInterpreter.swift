import GraphIR
import TensorRuntime

/// The loop-IR interpreter as a `KernelCompiler`: the reference for every kernel backend.
///
/// Each kernel is turned once into a tree of closures and then run directly on the raw
/// buffers. Semantics equal GraphIR's reference interpreter: a ScalarOp computes in the lane
/// of its operands' dtype (floats in Double, integers and bools in wrapping Int64, through
/// `ScalarMath`) and its result is immediately converted to the op's dtype (float32 rounds,
/// integers truncate, bools become 0/1), exactly as the reference stores each node's result.
/// Loads read the buffer's dtype; stores convert (the verifier makes them equal). Parallel
/// loops run sequentially. When the runner passes element counts, every access is bounds
/// checked (an out-of-bounds access is a lowering bug and traps with the kernel's name).
package struct KernelInterpreter: KernelCompiler {
    package init() {}

    /// Verifies the kernels (throwing `KernelIRError` with the problems) and prepares them.
    package func compile(_ kernels: [Kernel]) throws -> any KernelExecutor {
        let problems = kernels.flatMap(verifyKernel)
        guard problems.isEmpty else { throw KernelIRError("kernels do not verify", problems) }
        return InterpretedKernels(programs: kernels.map(InterpretedKernel.init))
    }
}

/// Invalid loop IR or plan handed to a compiler or runner (a bug in the producer).
package struct KernelIRError: Error, CustomStringConvertible {
    package let summary: String
    package let problems: [String]

    package init(_ summary: String, _ problems: [String]) {
        self.summary = summary
        self.problems = problems
    }

    package var description: String { ([summary + ":"] + problems.map { "  " + $0 }).joined(separator: "\n") }
}

/// Interpreted kernels, callable from several threads at once (each run has its own frame).
package struct InterpretedKernels: KernelExecutor {
    let programs: [InterpretedKernel]

    package func run(kernel index: Int, buffers: UnsafePointer<UnsafeMutableRawPointer>,
                     params: UnsafePointer<Int64>) -> Int32 {
        programs[index].run(buffers: buffers, counts: nil, params: params)
    }

    package func run(kernel index: Int, buffers: UnsafePointer<UnsafeMutableRawPointer>,
                     elementCounts: UnsafePointer<Int>, params: UnsafePointer<Int64>) -> Int32 {
        programs[index].run(buffers: buffers, counts: elementCounts, params: params)
    }
}

/// One kernel as closures. The closures are immutable and capture only constants and other
/// closures, so sharing them between threads is safe (hence `@unchecked Sendable`).
final class InterpretedKernel: @unchecked Sendable {
    let name: String
    let bufferNames: [String]
    private let doubleSlots: Int
    private let intSlots: Int
    private let body: [StmtCode]

    init(_ kernel: Kernel) {
        var builder = ClosureBuilder(kernel: kernel)
        body = kernel.body.map { builder.statement($0) }
        name = kernel.name
        bufferNames = kernel.buffers.map(\.name)
        doubleSlots = builder.doubleSlots
        intSlots = builder.intSlots
    }

    /// Runs the kernel; returns 0 or the code of the first failing `checkIndex`.
    func run(buffers: UnsafePointer<UnsafeMutableRawPointer>, counts: UnsafePointer<Int>?,
             params: UnsafePointer<Int64>) -> Int32 {
        let frame = KernelFrame(kernel: self, doubles: doubleSlots, ints: intSlots, buffers: buffers,
                                counts: counts, params: params)
        for stmt in body where !stmt(frame) { return frame.failure }
        return 0
    }
}

/// The mutable state of one kernel run: value slots in two lanes, buffers and params.
final class KernelFrame {
    let kernel: InterpretedKernel
    let doubles: UnsafeMutablePointer<Double>
    let ints: UnsafeMutablePointer<Int64>
    let buffers: UnsafePointer<UnsafeMutableRawPointer>
    let counts: UnsafePointer<Int>?
    let params: UnsafePointer<Int64>
    /// The code of the failed check, once one failed.
    var failure: Int32 = 0
    private let doubleCount: Int, intCount: Int

    init(kernel: InterpretedKernel, doubles: Int, ints: Int, buffers: UnsafePointer<UnsafeMutableRawPointer>,
         counts: UnsafePointer<Int>?, params: UnsafePointer<Int64>) {
        self.kernel = kernel
        doubleCount = max(doubles, 1)
        intCount = max(ints, 1)
        self.doubles = .allocate(capacity: doubleCount)
        self.doubles.initialize(repeating: 0, count: doubleCount)
        self.ints = .allocate(capacity: intCount)
        self.ints.initialize(repeating: 0, count: intCount)
        self.buffers = buffers
        self.counts = counts
        self.params = params
    }

    deinit {
        doubles.deallocate()
        ints.deallocate()
    }

    /// Element `index` of buffer `b` as an Int, bounds checked when the counts are known.
    @inline(__always)
    func element(_ b: Int, _ index: Int64) -> Int {
        if let counts {
            precondition(index >= 0 && index < counts[b], "kernel @\(kernel.name) accesses element \(index) "
                         + "of %\(kernel.bufferNames[b]), which has \(counts[b]) elements")
        }
        return Int(index)
    }
}

/// A compiled expression in the Double lane (float dtypes).
typealias DoubleCode = (KernelFrame) -> Double
/// A compiled expression in the Int64 lane (integer and bool dtypes).
typealias IntCode = (KernelFrame) -> Int64
/// A compiled statement; false aborts the kernel (a failed `checkIndex`).
typealias StmtCode = (KernelFrame) -> Bool

/// A compiled expression in the lane of its dtype.
enum LaneCode {
    case double(DoubleCode)
    case int(IntCode)

    /// The expression as a Double (an integer lane value converts exactly up to 2^53).
    var asDouble: DoubleCode {
        switch self {
        case .double(let c): return c
        case .int(let c): return { Double(c($0)) }
        }
    }

    /// The expression as an Int64 (a Double truncates toward zero).
    var asInt: IntCode {
        switch self {
        case .int(let c): return c
        case .double(let c): return { truncatingInt64(c($0)) }
        }
    }
}
