import Foundation
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR
@testable import LLVMCodegen

/// Splitting a compile into cost-balanced modules compiled in parallel.
@Suite struct CodegenSplitTests {
    struct GroupCase: Sendable, CustomStringConvertible {
        let costs: [Int]
        let parts: Int
        let expected: [[Int]]
        var description: String { "\(costs) into \(parts)" }
    }

    static let groupCases: [GroupCase] = [
        GroupCase(costs: [], parts: 2, expected: [[]]),
        GroupCase(costs: [5], parts: 2, expected: [[0]]),
        GroupCase(costs: [3, 4], parts: 1, expected: [[0, 1]]),
        GroupCase(costs: [10, 1, 1, 1, 9], parts: 2, expected: [[0, 2], [1, 3, 4]]),
        GroupCase(costs: [1, 1, 1, 1], parts: 2, expected: [[0, 2], [1, 3]]),
        GroupCase(costs: [2, 7, 3], parts: 8, expected: [[1], [2], [0]]),
        GroupCase(costs: [8, 4, 4, 3, 3, 2], parts: 2, expected: [[0, 3, 5], [1, 2, 4]]),
    ]

    @Test(arguments: groupCases) func groupsBalanceCost(_ c: GroupCase) {
        let groups = LLVMKernelCompiler.groups(costs: c.costs, parts: c.parts)
        #expect(groups == c.expected)
        #expect(groups.flatMap { $0 }.sorted() == Array(c.costs.indices))
    }

    @Test func costFollowsEmittedSize() throws {
        let small = CG.elementwise("neg", .neg, [.float32], result: .float32)
        let w1 = CodegenKernelTests.w1
        #expect(LLVMKernelCompiler.emittedSize(w1) > 3 * LLVMKernelCompiler.emittedSize(small))
        #expect(try LLVMKernelCompiler.costs([w1, small], parts: 1) == [1, 1])
        #expect(try LLVMKernelCompiler.costs([w1], parts: 2) == [1])
        let costs = try LLVMKernelCompiler.costs([small, w1, small], parts: 2)
        #expect(costs[1] > costs[0] && costs[0] == costs[2])
    }

    /// W1 plus small kernels: every kernel runs correctly whichever module it landed in, and
    /// the captured IR (all modules) defines every symbol once.
    @Test func splitModulesRunEveryKernel() throws {
        let negs = (0..<3).map { CG.elementwise("neg\($0)", .neg, [.int32], result: .int32) }
        let kernels = [negs[0], CodegenKernelTests.w1, negs[1], negs[2]]
        let executor = try CG.llvm.compileKernels(kernels)
        let ir = try #require(executor.optimizedIR)
        for symbol in executor.symbols { #expect(ir.components(separatedBy: "define i32 @\(symbol)(").count == 2) }
        let parts = ir.components(separatedBy: "; ModuleID = ").count - 1
        #expect(parts == min(LLVMKernelCompiler.compileThreads, 2))
        for k in [0, 2, 3] {
            let result = CG.run(executor, k, [CG.ints([4, -5, Int64(k)], .int32), Tensor(zeros: [3], dtype: .int32)], [3])
            #expect(result.code == 0 && result.tensors[1].scalars == [-4, 5, Double(-k)])
        }
        let n = 257
        let w1 = CG.run(executor, 1, CodegenKernelTests.w1Inputs(n), [Int64(n)])
        let reference = try CG.both(CodegenKernelTests.w1, CodegenKernelTests.w1Inputs(n), [Int64(n)]).reference
        #expect(w1.code == 0)
        let worst = (0..<n).map { Swift.abs(w1.tensors[3].double(at: $0) - reference.tensors[3].double(at: $0)) }.max()
        #expect(try #require(worst) <= 1e-6)
    }
}
