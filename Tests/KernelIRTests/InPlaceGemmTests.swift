import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR

/// `W ← W + t` with `t = -0.5·A·B` from a gemm becomes one gemm accumulating into W's memory.
@Suite struct InPlaceGemmTests {
    /// `out[i] = a[i] + b[i]` over n f32 elements (a = W, b = the product).
    static let sum = Kernel(
        name: "sum",
        buffers: [KernelBuffer(name: "w", dtype: .float32, access: .read),
                  KernelBuffer(name: "t", dtype: .float32, access: .read),
                  KernelBuffer(name: "out", dtype: .float32, access: .write)],
        paramNames: [],
        body: [.loop(Loop(variable: KT.v(0), upper: .intConstant(8), body: [
            .store(buffer: 2, index: KT.val(0), value: KT.op(.add, KT.load(0, KT.val(0)), KT.load(1, KT.val(0))))]))])

    /// Arguments A f32[2,3], B f32[3,4], W f32[2,4]; output 0 is W's update.
    static func plan() -> Plan {
        Plan(kernels: [sum],
             buffers: [PT.arg(0, [2, 3]), PT.arg(1, [3, 4]), PT.arg(2, [2, 4]), PT.temp([2, 4]), PT.temp([2, 4])],
             steps: [.gemm(GemmStep(a: PT.b(0), b: PT.b(1), c: PT.b(3), transA: false, transB: false, m: 2, n: 4, k: 3,
                                    alpha: -0.5)),
                     .kernel(0, buffers: [PT.b(2), PT.b(3), PT.b(4)], params: [])],
             outputs: [PT.b(4)], argumentCount: 3)
            .updatingInPlace([InPlaceUpdate(output: 0, argument: 2)]).foldingGemmUpdates()
    }

    static func reference(_ a: Tensor, _ b: Tensor, _ w: Tensor) -> [Double] {
        (0..<8).map { e in
            let (r, c) = (e / 4, e % 4)
            return w.double(at: e) - 0.5 * (0..<3).reduce(0.0) { $0 + a.double(at: r * 3 + $1) * b.double(at: $1 * 4 + c) }
        }
    }

    @Test func theGemmAccumulatesIntoTheVariable() throws {
        let plan = Self.plan()
        #expect(verifyPlan(plan).isEmpty, "\(verifyPlan(plan))")
        #expect(plan.inPlaceArguments == [2] && plan.inPlaceStepCount == 1 && plan.steps.count == 1)
        guard case .gemm(let g) = plan.steps.first else { Issue.record("\(printPlan(plan))"); return }
        #expect(g.c == PT.b(2) && g.beta == 1 && g.alpha == -0.5)
        #expect(MemoryPlan(plan).storage[3] == .unused)
        #expect(plan.kernels.isEmpty, "the folded update kernel is not compiled")
        let runner = try PlanRunner(plan: plan, compiler: KernelInterpreter())
        let a = KT.t([2, 3], KT.values(6, seed: 1)), b = KT.t([3, 4], KT.values(12, seed: 2))
        let w = KT.t([2, 4], KT.values(8, seed: 3)), before = w.scalars
        let want = Self.reference(a, b, w)
        for _ in 0..<2 {  // general, then prepared: W is copied, not written
            let got = try runner.run([a, b, w])[0].scalars
            #expect(zip(got, want).allSatisfy { Swift.abs($0 - $1) <= 1e-5 }, "\(got) vs \(want)")
            #expect(w.scalars == before)
        }
        let owned = w
        _ = try runner.run([a, b, owned], owning: [2])
        #expect(zip(owned.scalars, want).allSatisfy { Swift.abs($0 - $1) <= 1e-5 }, "\(owned.scalars)")
    }

    /// A gemm whose operand is the variable being updated cannot accumulate into it.
    @Test func aGemmReadingTheVariableIsNotFolded() {
        var plan = Plan(kernels: [Self.sum],
                        buffers: [PT.arg(0, [2, 2]), PT.arg(1, [2, 2]), PT.temp([2, 2]), PT.temp([2, 2])],
                        steps: [.gemm(GemmStep(a: PT.b(0), b: PT.b(1), c: PT.b(2), transA: false, transB: false,
                                               m: 2, n: 2, k: 2)),
                                .kernel(0, buffers: [PT.b(1), PT.b(2), PT.b(3)], params: [])],
                        outputs: [PT.b(3)], argumentCount: 2)
        plan.kernels[0].body = [.loop(Loop(variable: KT.v(0), upper: .intConstant(4), body: [
            .store(buffer: 2, index: KT.val(0), value: KT.op(.add, KT.load(0, KT.val(0)), KT.load(1, KT.val(0))))]))]
        plan = plan.updatingInPlace([InPlaceUpdate(output: 0, argument: 1)])
        #expect(plan.inPlaceArguments == [1])
        let folded = plan.foldingGemmUpdates()
        #expect(folded.steps.count == 2)
        if case .kernel = folded.steps.last {} else { Issue.record("the update kernel was replaced") }
    }
}
