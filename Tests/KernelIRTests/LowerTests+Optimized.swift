import GraphIR
import KernelIR
import Testing
import TensorRuntime

/// Lowering graphs after the standard optimizer pipeline (what compiled functions lower).
extension LowerTests {
    /// The optimized graph (fastRun).
    static func optimized(_ graph: Graph) throws -> Graph {
        try Pipeline.standard(.fastRun).run(graph).0
    }

    @Test func optimizedMLPTrainingStep() throws {
        let graph = Workloads.w2(batch: nil, sizes: (9, 7, 5))
        let args = [LowerCheck.random([6, 9], seed: 1), LowerCheck.integers([6], 0...4, seed: 2),
                    LowerCheck.random([9, 7], seed: 3), LowerCheck.random([7], seed: 4),
                    LowerCheck.random([7, 5], seed: 5), LowerCheck.random([5], seed: 6)]
        let optimized = try Self.optimized(graph)
        let (plan, actual) = try LowerCheck.run(optimized, args)
        let rowKernels = plan.kernels.filter { kernel in
            kernel.body.contains { if case .loop(let l) = $0 { return l.parallel } else { return false } }
                && printKernel(kernel).contains("exp(")
        }
        #expect(rowKernels.count == 1, "softmax, log-softmax, the loss and its gradient share one row kernel")
        #expect(plan.kernels.count == 8)
        let expected = try LowerCheck.reference(graph, args)
        for (a, b) in zip(actual, expected) { #expect(a.allClose(to: b, rtol: 1e-4, atol: 1e-5)) }
    }

    @Test func gemmOpsLowerToProducts() throws {
        let c = G.input("c", [4, 3], .float64), a = G.input("a", [5, 4], .float64)
        let b = G.input("b", [3, 5], .float64), s = G.input("s", [], .float64)
        let gemm = { (alpha: Node, beta: Node) in
            Node.make(.gemm(transA: true, transB: true), [c, alpha, a, b, beta], at: lowerHere)
        }
        let graph = G.graph([c, a, b, s], [gemm(G.scalar(1, .float64), G.scalar(1, .float64)),
                                           gemm(G.scalar(-0.5, .float64), G.scalar(2, .float64)),
                                           gemm(s, G.scalar(0, .float64))])
        let args = [[4, 3], [5, 4], [3, 5], []].enumerated().map { LowerCheck.random($1, .float64, seed: UInt64($0)) }
        let plan = try LowerCheck.expectMatches(graph, args)
        let gemms = plan.steps.compactMap { step -> GemmStep? in
            if case .gemm(let g) = step { return g }
            return nil
        }
        #expect(gemms.count == 3 && gemms.allSatisfy { $0.transA && $0.transB })
        #expect(gemms.contains { $0.alpha == -0.5 })
    }
}
