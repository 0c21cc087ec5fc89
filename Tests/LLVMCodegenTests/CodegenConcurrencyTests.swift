import Foundation
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR
@testable import LLVMCodegen

/// Compiling kernels from several threads at once, on the shared JIT and on a private one.
@Suite struct CodegenConcurrencyTests {
    static let ops: [ScalarOp] = [.exp, .tanh, .sigmoid, .log1p, .sqrt, .relu, .sign, .softplus, .erf, .expm1]

    @Test(arguments: [false, true])
    func concurrentCompilesGiveWorkingKernels(_ privateJIT: Bool) throws {
        let compiler = privateJIT ? LLVMKernelCompiler(jit: try JITCompiler()) : CG.llvm
        let failures = ConcurrencyTests.Failures()
        let n = 257
        let input = CG.t([n], CG.values(n, seed: 77, scale: 6))
        DispatchQueue.concurrentPerform(iterations: 16) { k in
            let op = Self.ops[k % Self.ops.count]
            let dtype: DType = k % 3 == 0 ? .float64 : .float32
            let kernel = CG.elementwise("c\(k)_\(op.name)", op, [dtype], result: dtype, parallel: k % 2 == 0)
            do {
                var x = Tensor(zeros: [n], dtype: dtype)
                for i in 0..<n { x.setDouble(input.double(at: i), at: i) }
                let (llvm, reference) = try CG.both(kernel, [x, Tensor(zeros: [n], dtype: dtype)], [Int64(n)],
                                                    compiler: compiler)
                let problems = CG.mismatches(llvm.tensors[1], reference.tensors[1], ulps: 4)
                if llvm.code != 0 || !problems.isEmpty { failures.add("\(kernel.name): \(problems)") }
            } catch {
                failures.add("\(kernel.name): \(error)")
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
    }
}
