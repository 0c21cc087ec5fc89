import Foundation
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR
@testable import LLVMCodegen

/// The emitted module: vectorization, calls, names, timings, memoisation, verification.
@Suite struct CodegenModuleTests {
    static func isVectorized(_ ir: String) -> Bool { ir.contains("<16 x float>") || ir.contains("<8 x float>") }

    /// Calls other than LLVM intrinsics.
    static func calls(_ ir: String) -> [Substring] {
        ir.split(separator: "\n").filter { $0.contains("call ") && !$0.contains("@llvm.") }
    }

    @Test func w1VectorizesWithoutCalls() throws {
        let executor = try CG.llvm.compileKernels([CodegenKernelTests.w1])
        let ir = try #require(executor.optimizedIR)
        #expect(Self.isVectorized(ir))
        #expect(Self.calls(ir).isEmpty, "\(Self.calls(ir))")
        #expect(executor.moduleName == "hypatia.w1")
        #expect(executor.symbols.count == 1 && executor.symbols[0].hasPrefix("w1_"))
        #expect(ir.contains("define i32 @\(executor.symbols[0])("))
    }

    @Test func float32ReductionAndPowVectorize() throws {
        let sum = CodegenLoopTests.rowSum(.float32, accumulator: .float32)
        let pow = CG.elementwise("pow32", .pow, [.float32, .float32], result: .float32)
        for kernel in [sum, pow] {
            let ir = try #require(try CG.llvm.compileKernels([kernel]).optimizedIR)
            #expect(Self.isVectorized(ir), "\(kernel.name)")
            #expect(Self.calls(ir).isEmpty, "\(kernel.name): \(Self.calls(ir))")
        }
    }

    /// float64 transcendentals call libm; float32 ones stay inline.
    @Test func float64MathCallsLibmFloat32DoesNot() throws {
        let f64 = try #require(try CG.llvm.compileKernels([CG.elementwise("e64", .exp, [.float64], result: .float64)])
            .optimizedIR)
        #expect(f64.contains("@exp("))
        let f32 = try #require(try CG.llvm.compileKernels([CG.elementwise("e32", .exp, [.float32], result: .float32)])
            .optimizedIR)
        #expect(!f32.contains("@exp") && !f32.contains("@expf"))
    }

    /// Identical subtrees of one statement are emitted once (seen before optimization).
    @Test func identicalSubtreesAreEmittedOnce() throws {
        let x = CG.load(0, CG.val(0)), e = CG.op(.exp, x)
        let kernel = Kernel(name: "memo", buffers: [CG.read("x", .float64), CG.write("y", .float64)], paramNames: ["n"],
                            body: [.loop(Loop(variable: CG.v(0), upper: .param(0), body: [
                                .store(buffer: 1, index: CG.val(0), value: CG.op(.add, e, CG.op(.mul, e, e)))]))])
        let executor = try LLVMKernelCompiler(optimize: false).compileKernels([kernel])
        let ir = try #require(executor.optimizedIR)
        #expect(ir.components(separatedBy: "call double @exp(").count - 1 == 1)
        #expect(ir.components(separatedBy: "load double").count - 1 == 1)
        #expect(executor.timings.optimize == .zero)
        let inputs = [CG.t([3], [0, 1, -2], .float64), Tensor(zeros: [3], dtype: .float64)]
        let (llvm, reference) = try CG.both(kernel, inputs, [3], compiler: LLVMKernelCompiler(optimize: false))
        #expect(llvm.tensors[1] == reference.tensors[1])
    }

    @Test func namesTimingsAndSymbols() throws {
        let kernels = (0..<5).map { CG.elementwise("k-\($0) x", .neg, [.int32], result: .int32) }
        let executor = try CG.llvm.compileKernels(kernels)
        #expect(executor.moduleName == "hypatia.k_0_x.k_1_x.k_2_x.and2more")
        #expect(Set(executor.symbols).count == 5)
        let again = try CG.llvm.compileKernels(kernels)
        #expect(Set(executor.symbols).isDisjoint(with: again.symbols))
        let t = executor.timings
        #expect(t.build > .zero && t.verify > .zero && t.optimize > .zero && t.codegen > .zero)
        #expect(t.total == t.build + t.verify + t.optimize + t.codegen)
        for (k, _) in kernels.enumerated() {
            let inputs = [CG.ints([1, -2, Int64(k)], .int32), Tensor(zeros: [3], dtype: .int32)]
            let result = CG.run(executor, k, inputs, [3])
            #expect(result.tensors[1].scalars == [-1, 2, Double(-k)])
        }
        #expect(try CG.llvm.compileKernels([]).symbols.isEmpty)
    }

    @Test func parallelLoopCallsTheRuntime() throws {
        let kernel = CG.elementwise("par", .exp, [.float32], result: .float32, parallel: true)
        let ir = try #require(try CG.llvm.compileKernels([kernel]).optimizedIR)
        #expect(ir.contains("@hypatia_parallel_for("))
        #expect(Self.isVectorized(ir))
    }

    @Test func invalidKernelsAreRejected() throws {
        let bad = Kernel(name: "bad", buffers: [CG.read("x", .float32)], paramNames: ["n"],
                         body: [.store(buffer: 0, index: CG.i(0), value: CG.op(.exp, CG.val(3)))])
        #expect(throws: KernelIRError.self) { try CG.llvm.compileKernels([bad]) }
    }
}
