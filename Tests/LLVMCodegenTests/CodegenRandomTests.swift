import Foundation
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR
@testable import LLVMCodegen

/// Random-draw kernels (Philox4x32-10 in int64 loop-IR arithmetic, the log and cos
/// polynomials of normal draws) give the same bits on LLVM as in the loop-IR interpreter.
struct CodegenRandomTests {
    static let distributions: [(RandomDistribution, DType)] = [
        (.uniform(low: -1, high: 3), .float32), (.normal(mean: 0, std: 1), .float64), (.normal(mean: 2, std: 0.5), .float32),
        (.binomial(n: 1, p: 0.8), .float32), (.binomial(n: 5, p: 0.3), .int32),
    ]

    @Test(arguments: distributions)
    func llvmMatchesTheLoopIRInterpreter(_ d: RandomDistribution, _ dtype: DType) throws {
        let here = SourceLocation(fileID: "CodegenRandomTests", line: 1)
        let x = Build.input("x", dtype: .float32, shape: [nil, 37], at: here)
        let c = Build.input("c", dtype: .int64, shape: [], at: here)
        let a = RandomAttributes(d, dtype: dtype, shape: x.type.shape, seed: 0x0123_4567_89AB_CDEF, stream: 2)
        let extents = [Build.dimension(x, axis: 0, at: here), Build.scalar(37, dtype: .int64, at: here)]
        let r = Node.make(.random(a), [c] + extents, at: here)
        let plan = try lower(Graph(name: "draw", inputs: [x, c], outputs: [r], outputCount: 1))
        #expect(plan.kernels.count == 1)
        for counter in [Int64(0), 0x7_FFFF_FFFF] {
            let arguments = [Tensor(zeros: [301, 37], dtype: .float32), Tensor(Double(counter), dtype: .int64)]
            let expected = try PlanRunner(plan: plan, compiler: KernelInterpreter()).run(arguments)
            let actual = try PlanRunner(plan: plan, compiler: CG.llvm).run(arguments)
            #expect(CG.mismatches(actual[0], expected[0]).isEmpty, "\(d) \(dtype) counter \(counter)")
        }
    }
}
