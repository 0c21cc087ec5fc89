import Foundation
import Synchronization
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR

@Suite struct PlanRunnerTests {
    @Test func gemmKernelAndReferenceStepsTogether() throws {
        let runner = try PlanRunner(plan: PT.dense(), compiler: KernelInterpreter())
        for n in [5, 1, 0] {
            let arguments = PT.denseArguments(n: n, seed: 10)
            let outputs = try runner.run(arguments)
            let (p, h) = PT.denseReference(arguments[0], arguments[1], arguments[2])
            #expect(outputs.map(\.shape) == [[n, 4], [n, 4]])
            #expect(PT.close(outputs[0].scalars, p))
            #expect(PT.close(outputs[1].scalars, h))
        }
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)], [DType.float32, .float64])
    func gemmTransposesAndBatches(_ transposes: (Bool, Bool), _ dtype: DType) throws {
        let (transA, transB) = transposes
        let (m, n, k) = (3, 4, 5)
        for batch in [1, 3] {
            let plan = Plan(kernels: [],
                            buffers: [PT.arg(0, dtype, transA ? [Dim.constant(batch), Dim.constant(k), Dim.constant(m)] : [Dim.constant(batch), Dim.constant(m), Dim.constant(k)]),
                                      PT.arg(1, dtype, transB ? [Dim.constant(batch), Dim.constant(n), Dim.constant(k)] : [Dim.constant(batch), Dim.constant(k), Dim.constant(n)]),
                                      PT.temp(dtype, [Dim.constant(batch), Dim.constant(m), Dim.constant(n)])],
                            steps: [.gemm(GemmStep(a: PT.b(0), b: PT.b(1), c: PT.b(2), transA: transA, transB: transB,
                                                   m: Dim.constant(m), n: Dim.constant(n), k: Dim.constant(k), alpha: 1.5, batch: Dim.constant(batch),
                                                   strideA: Dim.constant(m * k), strideB: Dim.constant(k * n), strideC: Dim.constant(m * n)))],
                            outputs: [PT.b(2)], argumentCount: 2)
            let a = KT.t(plan.buffers[0].shape.map { $0.constantValue! }, KT.values(batch * m * k, seed: 20), dtype)
            let b = KT.t(plan.buffers[1].shape.map { $0.constantValue! }, KT.values(batch * k * n, seed: 21), dtype)
            let c = try PlanRunner(plan: plan, compiler: KernelInterpreter()).run([a, b])[0]
            var expected: [Double] = []
            for q in 0..<batch {
                for i in 0..<m {
                    for j in 0..<n {
                        let sum = (0..<k).reduce(0.0) { acc, l in
                            let x = a.double(at: q * m * k + (transA ? l * m + i : i * k + l))
                            let y = b.double(at: q * k * n + (transB ? j * k + l : l * n + j))
                            return acc + x * y
                        }
                        expected.append(1.5 * sum)
                    }
                }
            }
            #expect(PT.close(c.scalars, expected, tolerance: dtype == .float32 ? 2e-6 : 1e-13), "batch \(batch)")
        }
    }

    @Test func gemmWithBetaAccumulatesIntoKernelOutput() throws {
        // c = 1 (kernel: c[i] = in[i] * 2 with in = 0.5), then c = a·b + 1 · c.
        let plan = Plan(kernels: [PT.double],
                        buffers: [PT.arg(0, [2, 3]), PT.arg(1, [3, 2]), PT.arg(2, [4]), PT.temp([2, 2])],
                        steps: [.kernel(0, buffers: [PT.b(2), PT.b(3)], params: [4]),
                                .gemm(GemmStep(a: PT.b(0), b: PT.b(1), c: PT.b(3), transA: false, transB: false,
                                               m: 2, n: 2, k: 3, beta: 1))],
                        outputs: [PT.b(3)], argumentCount: 3)
        let a = KT.t([2, 3], [1, 2, 3, 4, 5, 6]), b = KT.t([3, 2], [1, 0, 0, 1, 1, 1])
        let c = try PlanRunner(plan: plan, compiler: KernelInterpreter()).run([a, b, KT.t([4], [0.5, 0.5, 0.5, 0.5])])
        #expect(c[0].scalars == [5, 6, 11, 12])
    }

    @Test func dataDependentSizesFromReferenceStep() throws {
        // r = arange(0, stop, 1) : i64[?k]; out = r * 2 (kernel with param ?k).
        let k = Dim.symbol(.fresh(hint: "k"))
        let scalars = ["start", "stop", "step"].map { KT.input($0, .int64, []) }
        let arange = Node.make(.arange(.int64, length: k), scalars, at: KT.loc)
        let twice = Kernel(name: "twice64", buffers: [KernelBuffer(name: "in", dtype: .int64, access: .read),
                                                      KernelBuffer(name: "out", dtype: .int64, access: .write)],
                           paramNames: ["k"],
                           body: [.loop(Loop(variable: KT.v(0), upper: .param(0), body: [
                               .store(buffer: 1, index: KT.val(0),
                                      value: KT.op(.mul, KT.load(0, KT.val(0)), .constant(2, .int64)))]))])
        let plan = Plan(kernels: [twice],
                        buffers: [PT.arg(0, .int64, []), PT.arg(1, .int64, []), PT.arg(2, .int64, []),
                                  PT.temp(.int64, [k]), PT.temp(.int64, [k])],
                        steps: [.reference(arange, inputs: [PT.b(0), PT.b(1), PT.b(2)], output: PT.b(3)),
                                .kernel(0, buffers: [PT.b(3), PT.b(4)], params: [k])],
                        outputs: [PT.b(4)], argumentCount: 3)
        let runner = try PlanRunner(plan: plan, compiler: KernelInterpreter())
        for stop in [5, 3, 0] {
            let out = try runner.run([Tensor(Int64(0)), Tensor(Int64(stop)), Tensor(Int64(1))])[0]
            #expect(out.scalars == (0..<stop).map { Double($0 * 2) })
        }
    }

    @Test func failedCheckBecomesThePlansError() throws {
        let m = Dim.symbol(.fresh(hint: "m")), n = Dim.symbol(.fresh(hint: "n"))
        var plan = Plan(kernels: [KT.gather],
                        buffers: [PT.arg(0, .float64, [m]), PT.arg(1, .int32, [n]), PT.temp(.float64, [n])],
                        steps: [.kernel(0, buffers: [PT.b(0), PT.b(1), PT.b(2)], params: [n, m])],
                        outputs: [PT.b(2)], argumentCount: 2)
        #expect(verifyPlan(plan) == ["@gather: check code 7 has no entry in errorMessages"])
        plan.errorMessages[7] = PlanErrorMessage(op: "advancedIndex", message: "index out of bounds for axis 0 with size {0}",
                                                 sizes: [m], location: KT.loc)
        let runner = try PlanRunner(plan: plan, compiler: KernelInterpreter())
        let x = KT.t([4], [1, 2, 3, 4], .float64)
        #expect(try runner.run([x, KT.t([2], [3, 1], .int32)])[0].scalars == [4, 2])
        #expect(throws: GraphError(.runtime, op: "advancedIndex", "index out of bounds for axis 0 with size 4", at: KT.loc)) {
            try runner.run([x, KT.t([2], [0, 4], .int32)])
        }
    }
}
