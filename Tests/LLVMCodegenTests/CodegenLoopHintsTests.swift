import Foundation
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR
@testable import LLVMCodegen

/// The loop metadata of `vectorize` loops (see `KernelEmitter+LoopHints`).
@Suite struct CodegenLoopHintsTests {
    /// The emitted (unoptimized) IR of `kernels`.
    static func emittedIR(_ kernels: [Kernel]) throws -> String {
        try #require(try LLVMKernelCompiler(optimize: false).compileKernels(kernels).optimizedIR)
    }

    static func count(_ text: String, _ needle: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func vectorizeLoopsAskForVectorsAndNoRuntimeUnrolling() throws {
        let ir = try Self.emittedIR([CodegenKernelTests.w1])
        #expect(Self.count(ir, "!llvm.loop !") == 1)
        #expect(ir.contains("!{!\"llvm.loop.vectorize.enable\", i1 true}"))
        #expect(ir.contains("!{!\"llvm.loop.unroll.runtime.disable\"}"))
    }

    /// The optimized W1 loop loads `x` once per 16 lanes in its main body: vectorized and not
    /// unrolled again (a host whose tuning unrolls, like LLVM 14's `znver3`, made it four loads).
    @Test func optimizedW1LoopIsNotUnrolledAgain() throws {
        let ir = try #require(try CG.llvm.compileKernels([CodegenKernelTests.w1]).optimizedIR)
        let wide = Self.count(ir, "load <16 x float>") + Self.count(ir, "load <8 x float>")
        #expect(wide >= 1 && wide <= 2, "wide loads: \(wide)")
        #expect(Self.count(ir, "fdiv <16 x float>") + Self.count(ir, "fdiv <8 x float>") <= 4)
    }

    /// A loop with a `checkIndex` (an early return) or an inner loop cannot be vectorized: it
    /// gets no hints (which would only make LLVM warn) and still computes the same values.
    @Test func loopsWithChecksOrInnerLoopsGetNoHints() throws {
        let gather = Kernel(name: "gather", buffers: [CG.read("x", .float32), CG.read("i", .int64),
                                                     CG.write("out", .float32)],
                            paramNames: ["n", "m"],
                            body: [.loop(Loop(variable: CG.v(0), upper: .param(0), body: [
                                .checkIndex(CG.load(1, CG.val(0)), bound: .param(1), code: 7),
                                .store(buffer: 2, index: CG.val(0), value: CG.load(0, CG.load(1, CG.val(0))))],
                                vectorize: true))])
        let inner = Loop(variable: CG.v(2), upper: .param(1), body: [
            .store(buffer: 2, index: CG.ix(.add, CG.ix(.mul, CG.val(1), .param(1)), CG.val(2)),
                   value: CG.load(0, CG.val(2)))], vectorize: true)
        let nested = Kernel(name: "nested", buffers: [CG.read("x", .float32), CG.read("i", .int64),
                                                     CG.write("out", .float32)],
                            paramNames: ["n", "m"],
                            body: [.loop(Loop(variable: CG.v(1), upper: .param(0), body: [.loop(inner)],
                                              vectorize: true))])
        #expect(!(try Self.emittedIR([gather])).contains("llvm.loop"))
        #expect(Self.count(try Self.emittedIR([nested]), "!llvm.loop !") == 1, "only the inner loop")
        let inputs = [CG.t([3], [1, 2, 3]), CG.ints([2, 0, 1, 2], .int64), Tensor(zeros: [4])]
        let (llvm, reference) = try CG.both(gather, inputs, [4, 3])
        #expect(llvm.code == 0 && llvm.tensors[2].scalars == [3, 1, 2, 3])
        #expect(llvm.tensors[2] == reference.tensors[2])
        let bad = [CG.t([3], [1, 2, 3]), CG.ints([2, 5, 1, 2], .int64), Tensor(zeros: [4])]
        #expect(try CG.both(gather, bad, [4, 3]).llvm.code == 7)
        let (grid, gridReference) = try CG.both(nested, [CG.t([3], [1, 2, 3]), CG.ints([0], .int64),
                                                        Tensor(zeros: [6])], [2, 3])
        #expect(grid.tensors[2].scalars == [1, 2, 3, 1, 2, 3] && grid.tensors[2] == gridReference.tensors[2])
    }
}
