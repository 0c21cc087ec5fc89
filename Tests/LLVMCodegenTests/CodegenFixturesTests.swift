import Foundation
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR
@testable import LLVMCodegen

/// Helpers shared by the Codegen suites: kernel construction, running a kernel through
/// LLVM and through the loop-IR interpreter (the reference), and result comparison.
enum CG {
    static func v(_ raw: Int) -> ValueID { ValueID(raw) }
    static func val(_ raw: Int) -> KExpr { .value(ValueID(raw)) }
    static func i(_ x: Int64) -> KExpr { .intConstant(x) }
    static func f32(_ x: Double) -> KExpr { .constant(x, .float32) }
    static func load(_ buffer: Int, _ index: KExpr) -> KExpr { .load(buffer: buffer, index: index) }
    static func op(_ op: ScalarOp, _ operands: KExpr...) -> KExpr { .op(op, operands) }
    static func ix(_ op: IndexOp, _ a: KExpr, _ b: KExpr) -> KExpr { .index(op, a, b) }
    static func read(_ name: String, _ dtype: DType) -> KernelBuffer {
        KernelBuffer(name: name, dtype: dtype, access: .read)
    }
    static func write(_ name: String, _ dtype: DType) -> KernelBuffer {
        KernelBuffer(name: name, dtype: dtype, access: .write)
    }

    /// `out[i] = op(a0[i], a1[i], ...)` over `n` elements.
    static func elementwise(_ name: String, _ op: ScalarOp, _ dtypes: [DType], result: DType,
                            parallel: Bool = false) -> Kernel {
        let buffers = dtypes.enumerated().map { read("a\($0.offset)", $0.element) }
        let operands = dtypes.indices.map { load($0, val(0)) }
        return Kernel(name: name, buffers: buffers + [write("out", result)], paramNames: ["n"],
                      body: [.loop(Loop(variable: v(0), upper: .param(0), body: [
                          .store(buffer: dtypes.count, index: val(0), value: .op(op, operands))],
                          parallel: parallel, vectorize: true))])
    }

    /// One LLVM compiler for the whole test process (shared JIT and runtime).
    static let llvm = LLVMKernelCompiler()

    /// Runs kernel `index` of `executor` on copies of `tensors`; returns the code and tensors.
    static func run(_ executor: any KernelExecutor, _ index: Int, _ tensors: [Tensor],
                    _ params: [Int64]) -> (code: Int32, tensors: [Tensor]) {
        var copies = tensors
        let code = executor.run(kernel: index, tensors: &copies, params: params)
        return (code, copies)
    }

    /// Runs one kernel through LLVM and through the interpreter on the same inputs.
    static func both(_ kernel: Kernel, _ tensors: [Tensor], _ params: [Int64],
                     compiler: LLVMKernelCompiler = llvm) throws
        -> (llvm: (code: Int32, tensors: [Tensor]), reference: (code: Int32, tensors: [Tensor])) {
        let compiled = try compiler.compile([kernel])
        let interpreted = try KernelInterpreter().compile([kernel])
        return (run(compiled, 0, tensors, params), run(interpreted, 0, tensors, params))
    }

    /// Problems where `actual` differs from `expected`: bit-identical except that any NaN
    /// matches any NaN; float32 within `ulps` of the reference when `ulps` is given (the
    /// reference's NaN and infinities must still match exactly).
    static func mismatches(_ actual: Tensor, _ expected: Tensor, ulps: Double? = nil, limit: Int = 8) -> [String] {
        precondition(actual.dtype == expected.dtype && actual.count == expected.count, "incomparable tensors")
        var problems: [String] = []
        for k in 0..<actual.count where problems.count < limit {
            if let problem = mismatch(actual, expected, k, ulps: ulps) { problems.append("[\(k)] \(problem)") }
        }
        return problems
    }

    private static func mismatch(_ actual: Tensor, _ expected: Tensor, _ k: Int, ulps: Double?) -> String? {
        switch actual.dtype {
        case .float32, .float64:
            let a = actual.double(at: k), e = expected.double(at: k)
            if a.isNaN || e.isNaN { return a.isNaN && e.isNaN ? nil : "\(a) vs \(e)" }
            if let ulps, actual.dtype == .float32 {
                let error = ulpError(Float(a), reference: e)
                return error <= ulps ? nil : "\(a) vs \(e) (\(error) ulp)"
            }
            return a.bitPattern == e.bitPattern ? nil : "\(a) vs \(e)"
        case .int32, .int64, .uint8, .bool:
            let a = actual.int64(at: k), e = expected.int64(at: k)
            return a == e ? nil : "\(a) vs \(e)"
        }
    }

    /// Deterministic pseudo-random values in [-scale, scale).
    static func values(_ count: Int, seed: UInt64, scale: Double = 2) -> [Double] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) / Double(1 << 53) * 2 - 1) * scale
        }
    }

    /// A tensor of `dtype` from Doubles.
    static func t(_ shape: [Int], _ values: [Double], _ dtype: DType = .float32) -> Tensor {
        try! Tensor(shape: shape, values: values, dtype: dtype)
    }

    /// A tensor of `dtype` from Int64s (wrapping into the dtype).
    static func ints(_ values: [Int64], _ dtype: DType) -> Tensor {
        var tensor = Tensor(zeros: [values.count], dtype: dtype)
        for (k, value) in values.enumerated() { tensor.setInt64(value, at: k) }
        return tensor
    }
}

/// A smoke test of the helpers themselves (a mismatch must be reported).
@Suite struct CodegenFixturesTests {
    @Test func mismatchesReportDifferencesAndAcceptMatchingNaNs() {
        let a = CG.t([4], [1, .nan, -0.0, 3]), b = CG.t([4], [1, .nan, 0, 3])
        #expect(CG.mismatches(a, a).isEmpty)
        #expect(CG.mismatches(a, b).count == 1)
        let near = CG.t([1], [Double(Float(1).nextUp.nextUp)])
        #expect(CG.mismatches(near, CG.t([1], [1]), ulps: 4).isEmpty)
        #expect(CG.mismatches(near, CG.t([1], [1])).count == 1)
    }
}
