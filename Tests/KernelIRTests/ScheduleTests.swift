import GraphIR
@testable import KernelIR
import Testing
import TensorRuntime

/// Step counts of a plan.
private func counts(_ plan: Plan) -> (kernels: Int, gemms: Int, references: Int) {
    plan.steps.reduce(into: (0, 0, 0)) { c, step in
        switch step {
        case .kernel: c.0 += 1
        case .gemm: c.1 += 1
        case .reference: c.2 += 1
        }
    }
}

/// The fused groups of a graph's schedule.
private func groups(_ graph: Graph) throws -> [FusedGroup] {
    try schedule(graph).schedule.steps.compactMap { step in
        if case .kernel(let group) = step { return group }
        return nil
    }
}

@Suite struct ScheduleTests {
    @Test func w1IsOneKernel() throws {
        let plan = try lower(Workloads.w1())
        #expect(plan.steps.count == 1 && counts(plan).kernels == 1)
        #expect(plan.kernels.count == 1)
    }

    @Test func mlpForwardBiasAndTanhFuseAfterTheGemm() throws {
        let x = G.input("x", [nil, 784]), w = G.input("W", [784, 500]), b = G.input("b", [500])
        let plan = try lower(G.graph([x, w, b], [G.un(.tanh, G.add(G.dot(x, w), b))]))
        try #require(plan.steps.count == 2)
        guard case .gemm(let gemm) = plan.steps[0], case .kernel(_, let buffers, _) = plan.steps[1] else {
            Issue.record("expected gemm then kernel:\n\(printPlan(plan))")
            return
        }
        #expect(buffers == [gemm.c, BufferID(2), plan.outputs[0]])
    }

    @Test func noMaterializedTransposeFeedsAGemm() throws {
        let graph = Workloads.w2(batch: 128)
        let s = try schedule(graph).schedule
        let transposes = s.materialized.filter { node in
            if case .dimshuffle(let pattern) = node.op { return !NodeFacts.isOrderPreserving(pattern) }
            return false
        }
        #expect(transposes.isEmpty)
        let plans = s.steps.compactMap { step -> GemmPlan? in
            if case .gemm(let plan) = step { return plan }
            return nil
        }
        #expect(plans.count == 5)
        #expect(plans.filter { $0.transA }.count == 2 && plans.filter { $0.transB }.count == 1)
        #expect(plans.filter { $0.alpha != 1 }.count == 2, "the learning rate folds into the weight-gradient products")
    }

    @Test func softmaxCrossEntropyRowsTakeOneKernel() throws {
        let z = G.input("z", [nil, 10]), y = G.input("y", [nil], .int64)
        let forward = try lower(G.graph([z, y], [G.crossentropy(G.softmax(z), y)]))
        #expect(counts(forward) == (1, 0, 0))
        let rows = try groups(Workloads.w2(batch: nil)).filter { !$0.rowAxes.isEmpty && $0.rowAxes != [0] }
        try #require(rows.count == 1)
        #expect(rows[0].rowAxes == [1] && rows[0].roots.count == 2, "stores the row losses and the logit gradient")
    }

    @Test func w2KernelCount() throws {
        let plan = try lower(Workloads.w2(batch: 128))
        #expect(counts(plan) == (8, 5, 0), "\(printPlan(plan))")
    }

    @Test func reductionFusesWithItsProducersAndSiblings() throws {
        let x = G.input("x", [nil, 7])
        let e = G.mul(G.un(.exp, x), G.scalar(2))
        let plan = try lower(G.graph([x], [G.sum(e, [1]), G.reduce(.max, e, [1]), G.reduce(.mean, x, [1])]))
        #expect(counts(plan) == (1, 0, 0))
    }

    @Test func cheapSharedValuesAreRecomputedExpensiveOnesMaterialized() throws {
        let x = G.input("x", [nil, 7])
        let cheap = G.mul(x, G.scalar(2))
        let s1 = try schedule(G.graph([x], [G.sum(cheap, [0]), G.sum(cheap, [1])])).schedule
        #expect(!s1.materialized.contains(cheap) && s1.steps.count == 2)
        let costly = G.un(.exp, G.un(.tanh, G.un(.exp, x)))
        let s2 = try schedule(G.graph([x], [G.sum(costly, [0]), G.sum(costly, [1])])).schedule
        // Stored by the row-sum kernel's pass (trailing row axis), loaded by the column sum.
        #expect(s2.materialized.contains(costly) && s2.steps.count == 2)
    }

    @Test func partsOpsGetTheirOwnKernels() throws {
        let x = G.input("x", [nil, 3]), y = G.input("y", [2, 3]), i = G.input("i", [4], .int64)
        let joined = Build.concatenate([G.un(.exp, x), y], axis: 0, at: lowerHere)
        let cost = G.sum(G.un(.tanh, Build.advancedIndex(joined, [i], at: lowerHere)), nil)
        let graph = G.graph([x, y, i], [G.mul(joined, G.scalar(2))] + G.grads(cost, [x, y]))
        let indices = try Tensor(shape: [4], values: [0, -1, 3, 0], dtype: .int64)
        let plan = try LowerCheck.expectMatches(graph, [LowerCheck.random([3, 3], seed: 1),
                                                        LowerCheck.random([2, 3], seed: 2), indices])
        #expect(counts(plan) == (5, 0, 0))
    }

    @Test func dataDependentSizesUseReferenceSteps() throws {
        let n = G.input("n", [], .int64)
        let range = Build.arange(G.scalar(0, .int64), n, G.scalar(1, .int64), dtype: .int64, at: lowerHere)
        let graph = G.graph([n], [G.mul(range, range)])
        let plan = try LowerCheck.expectMatches(graph, [Tensor(Int64(5))])
        #expect(counts(plan) == (1, 0, 1))
    }

    @Test func labelOutOfRangeIsARuntimeError() throws {
        let z = G.input("z", [nil, 5]), y = G.input("y", [nil], .int64)
        let graph = G.graph([z, y], [G.crossentropy(G.softmax(z), y)])
        let labels = try Tensor(shape: [3], values: [0, 5, 1], dtype: .int64)
        #expect {
            _ = try LowerCheck.run(graph, [LowerCheck.random([3, 5], seed: 1), labels])
        } throws: { error in
            let e = error as? GraphError
            return e?.kind == .runtime && e?.op == "advancedIndex" && e?.message.contains("size 5") == true
        }
    }

    @Test func unifiedSizesAreCheckedAtRunTime() throws {
        let z = G.input("z", [nil, 5]), y = G.input("y", [nil], .int64)
        let graph = G.graph([z, y], [G.crossentropy(G.softmax(z), y)])
        #expect {
            let arguments = [LowerCheck.random([3, 5], seed: 1), LowerCheck.integers([4], 0...4, seed: 2)]
            _ = try LowerCheck.run(graph, arguments)
        } throws: { error in
            (error as? GraphError)?.kind == .shape
        }
    }

    @Test func emptyArgmaxIsAnError() throws {
        let x = G.input("x", [nil, 3])
        let graph = G.graph([x], [Build.argmax(x, axis: 0, keepDims: false, at: lowerHere)])
        #expect(throws: GraphError.self) { _ = try LowerCheck.run(graph, [Tensor(zeros: [0, 3])]) }
    }
}
