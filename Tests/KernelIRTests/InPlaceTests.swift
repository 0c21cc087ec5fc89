import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR

/// The in-place rewrites: which kernels may write an output over an input, the kernel rewrite,
/// temporaries over dead inputs, and shared updates moved to a no-fail tail.
@Suite struct InPlaceTests {
    @Test func elementwiseKernelsMayWriteOverAnInput() {
        #expect(KT.elementwise.canWrite(2, over: 0))
        #expect(KT.elementwise.canWrite(2, over: 1))
        #expect(!KT.elementwise.canWrite(0, over: 2), "x is read, not written")
        #expect(PT.double.canWrite(1, over: 0))
    }

    /// `out[i] = x[i + 1]` (a shifted read) and `out[i] = x[i]; out2[i] = x[i]` (a read after
    /// the store) would see overwritten elements.
    @Test func shiftedOrLaterReadsAreRefused() {
        let buffers = ["x", "out", "out2"].enumerated().map {
            KernelBuffer(name: $0.element, dtype: .float32, access: $0.offset == 0 ? .read : .write)
        }
        let shifted = Kernel(name: "shift", buffers: Array(buffers.prefix(2)), paramNames: ["n"],
                             body: [.loop(Loop(variable: KT.v(0), upper: .param(0), body: [
                                 .store(buffer: 1, index: KT.val(0), value: KT.load(0, KT.add(KT.val(0), KT.i(1))))]))])
        #expect(!shifted.canWrite(1, over: 0))
        let later = Kernel(name: "later", buffers: buffers, paramNames: ["n"],
                           body: [.loop(Loop(variable: KT.v(0), upper: .param(0), body: [
                               .store(buffer: 1, index: KT.val(0), value: KT.load(0, KT.val(0))),
                               .store(buffer: 2, index: KT.val(0), value: KT.load(0, KT.val(0)))]))])
        #expect(!later.canWrite(1, over: 0))
        #expect(later.canWrite(2, over: 0))
    }

    @Test func theRewriteMergesTheOutputIntoTheInput() {
        let merged = KT.elementwise.writing(2, over: 0)
        #expect(merged.buffers.map(\.name) == ["x", "y"])
        #expect(merged.buffers.map(\.access) == [.readWrite, .read])
        #expect(verifyKernel(merged).isEmpty)
        let text = printKernel(merged)
        #expect(text.contains("store %x[%v0]"), "\(text)")
    }

    /// x → t1 → t2 → t3 → out: t2 and t3 are written over their dead inputs, so one temporary
    /// remains; the results are unchanged.
    @Test func temporariesAreWrittenOverDeadInputs() throws {
        let plan = PT.chain().writingTemporariesInPlace()
        #expect(plan.inPlaceBuffers == [PT.b(2), PT.b(3)])
        #expect(verifyPlan(plan).isEmpty, "\(verifyPlan(plan))")
        let runner = try PlanRunner(plan: plan, compiler: KernelInterpreter())
        #expect(try runner.run([KT.t([5], [1, 2, 3, 4, 5])])[0].scalars == [16, 32, 48, 64, 80])
        let stats = try #require(runner.memoryStatistics(argumentShapes: [[5]]))
        #expect(stats == MemoryStatistics(slotCount: 1, arenaBytes: 20, temporaryCount: 1, temporaryBytes: 20,
                                          inPlaceCount: 2))
        #expect(stats.description.hasSuffix(", 2 written in place"))
    }

    /// update = 2·w (argument 1) is computed first, a later step reads w's old value: the
    /// update kernel moves after it and writes w's memory when the caller owns it.
    static func updatePlan() -> Plan {
        let n = Dim.symbol(.fresh(hint: "n"))
        var plan = Plan(kernels: [PT.double, KT.elementwise],
                        buffers: [PT.arg(0, [n]), PT.arg(1, [n]), PT.temp([n]), PT.temp([n])],
                        steps: [.kernel(0, buffers: [PT.b(1), PT.b(2)], params: [n]),
                                .kernel(1, buffers: [PT.b(0), PT.b(1), PT.b(3)], params: [n])],
                        outputs: [PT.b(3), PT.b(2)], argumentCount: 2)
        plan = plan.updatingInPlace([InPlaceUpdate(output: 1, argument: 1)])
        return plan
    }

    @Test func updatesMoveToTheTailAndWriteTheArgument() throws {
        let plan = Self.updatePlan()
        #expect(plan.inPlaceArguments == [1] && plan.inPlaceStepCount == 1)
        #expect(plan.buffers[2].source == .alias(PT.b(1)))
        guard case .kernel(let last, _, _) = plan.steps.last else { Issue.record("no tail kernel"); return }
        #expect(plan.kernels[last].buffers.map(\.access) == [.readWrite])
        #expect(verifyPlan(plan).isEmpty, "\(verifyPlan(plan))")
        let runner = try PlanRunner(plan: plan, compiler: KernelInterpreter())
        let x = KT.t([3], [1, 2, 3]), w = KT.t([3], [0.5, 1, -1])
        for _ in 0..<2 {  // general, then prepared
            let copied = try runner.run([x, w])
            #expect(w.scalars == [0.5, 1, -1], "an argument the caller does not own was written")
            #expect(copied[1].scalars == [1, 2, -2])
        }
        var owned = w
        let results = try runner.run([x, owned], owning: [1])
        #expect(results[1].storage === owned.storage)
        #expect(owned.scalars == [1, 2, -2])
        #expect(results[0].scalars.count == 3)
        #expect(owned.hasUniqueStorage() == false)
    }

    @Test func theVerifierConfinesArgumentWritesToTheTail() {
        var plan = Self.updatePlan()
        plan.inPlaceStepCount = 0
        #expect(verifyPlan(plan).contains { $0.contains("argument 1 memory (read only)") }, "\(verifyPlan(plan))")
        plan = Self.updatePlan()
        plan.inPlaceStepCount = 2
        #expect(verifyPlan(plan).isEmpty)
        plan.inPlaceStepCount = 3
        #expect(verifyPlan(plan).contains { $0.contains("inPlaceStepCount 3") })
    }
}
