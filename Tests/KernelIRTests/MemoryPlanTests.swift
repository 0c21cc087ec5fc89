import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR

@Suite struct MemoryPlanTests {
    @Test func lifetimesAndStorageClasses() {
        let memory = MemoryPlan(PT.chain())
        #expect(memory.storage == [.argument(0), .temporary(lifetime: 0...1), .temporary(lifetime: 1...2),
                                   .temporary(lifetime: 2...3), .output])
        #expect(memory.roots == [0, 1, 2, 3, 4])
    }

    @Test func disjointLifetimesShareASlot() throws {
        let runner = try PlanRunner(plan: PT.chain(), compiler: KernelInterpreter())
        let out = try runner.run([KT.t([5], [1, 2, 3, 4, 5])])[0]
        #expect(out.scalars == [16, 32, 48, 64, 80])
        let stats = try #require(runner.memoryStatistics(argumentShapes: [[5]]))
        #expect(stats == MemoryStatistics(slotCount: 2, arenaBytes: 40, temporaryCount: 3, temporaryBytes: 60))
        let layout = MemoryPlan(PT.chain()).assignSlots(bytes: [1: 20, 2: 20, 3: 20])
        #expect(layout.slotOf[1] == layout.slotOf[3])
        #expect(layout.slotOf[1] != layout.slotOf[2])
    }

    @Test func arenasAreReusedPerShapeKey() throws {
        let runner = try PlanRunner(plan: PT.chain(), compiler: KernelInterpreter())
        for _ in 0..<3 { _ = try runner.run([Tensor(ones: [4])]) }
        #expect(runner.arenas.arenasCreated == 1)
        let out = try runner.run([Tensor(ones: [9])])[0]
        #expect(out.scalars == Array(repeating: 16, count: 9))
        #expect(runner.arenas.arenasCreated == 2)
        #expect(runner.memoryStatistics(argumentShapes: [[9]])?.arenaBytes == 72)
    }

    @Test func greedyPlacementPrefersBestFitThenGrows() {
        // Four temporaries in a chain: 0...1, 1...2, 2...3, 3...4 (a fifth step writes the output).
        let n = Dim.symbol(.fresh(hint: "n"))
        let plan = Plan(kernels: [PT.double], buffers: [PT.arg(0, [n])] + (0..<5).map { _ in PT.temp([n]) },
                        steps: (0..<5).map { .kernel(0, buffers: [PT.b($0), PT.b($0 + 1)], params: [n]) },
                        outputs: [PT.b(5)], argumentCount: 1)
        let layout = MemoryPlan(plan).assignSlots(bytes: [1: 100, 2: 10, 3: 50, 4: 200])
        // %b3 fits into %b1's free 100-byte slot; %b4 finds %b2's 10-byte slot free and grows it.
        #expect(layout.slotOf == [1: 0, 2: 1, 3: 0, 4: 1])
        #expect(layout.slotBytes == [100, 200])
        #expect(layout.statistics.temporaryBytes == 360)
    }

    @Test func aliasesShareTheirTargetsMemory() throws {
        // t1 = x * 2; t1 doubled in place (t2 aliases t1); out (a [2, ?h] view of a temporary) = t2 * 2.
        let n = Dim.symbol(.fresh(hint: "n")), h = Dim.symbol(.fresh(hint: "h"))
        let plan = Plan(kernels: [PT.double],
                        buffers: [PT.arg(0, [n]), PT.temp([n]), PlanBuffer(dtype: .float32, shape: [n], source: .alias(PT.b(1))),
                                  PT.temp([n]), PlanBuffer(dtype: .float32, shape: [2, h], source: .alias(PT.b(3))),
                                  PT.arg(1, [h])],
                        steps: [.kernel(0, buffers: [PT.b(0), PT.b(1)], params: [n]),
                                .kernel(0, buffers: [PT.b(1), PT.b(2)], params: [n]),
                                .kernel(0, buffers: [PT.b(2), PT.b(3)], params: [n])],
                        outputs: [PT.b(4)], argumentCount: 2)
        let memory = MemoryPlan(plan)
        #expect(memory.roots == [0, 1, 1, 3, 3, 5])
        #expect(memory.storage[2] == .temporary(lifetime: 0...2))
        #expect(memory.storage[4] == .output)
        let runner = try PlanRunner(plan: plan, compiler: KernelInterpreter())
        let out = try runner.run([KT.t([4], [1, 2, 3, 4]), Tensor(zeros: [2])])[0]
        #expect(out.shape == [2, 2])
        #expect(out.scalars == [8, 16, 24, 32])
        #expect(runner.memoryStatistics(argumentShapes: [[4], [2]]) ==
                MemoryStatistics(slotCount: 1, arenaBytes: 16, temporaryCount: 1, temporaryBytes: 16))
        // A fresh root is as large as its largest view.
        #expect(try runner.run([KT.t([4], [1, 2, 3, 4]), Tensor(zeros: [3])])[0].scalars == [8, 16, 24, 32, 0, 0])
    }

    @Test func viewLargerThanAnArgumentIsAnError() throws {
        // y = x viewed as [2, ?h], doubled: fine while 2·h ≤ n, an error (not an overrun) beyond.
        let n = Dim.symbol(.fresh(hint: "n")), h = Dim.symbol(.fresh(hint: "h"))
        let plan = Plan(kernels: [PT.double],
                        buffers: [PT.arg(0, [n]), PlanBuffer(dtype: .float32, shape: [2, h], source: .alias(PT.b(0))),
                                  PT.arg(1, [h]), PT.temp([2, h])],
                        steps: [.kernel(0, buffers: [PT.b(1), PT.b(3)], params: [.constant(2) * h])],
                        outputs: [PT.b(3)], argumentCount: 2)
        let runner = try PlanRunner(plan: plan, compiler: KernelInterpreter())
        let x = KT.t([4], [1, 2, 3, 4])
        #expect(try runner.run([x, Tensor(zeros: [2])])[0].scalars == [2, 4, 6, 8])
        #expect(throws: GraphError(.shape, op: "call", "buffer %b1 of shape [2, 3] needs 24 bytes, but the memory "
                                   + "it views (%b0) has 16")) {
            try runner.run([x, Tensor(zeros: [3])])
        }
    }
}
