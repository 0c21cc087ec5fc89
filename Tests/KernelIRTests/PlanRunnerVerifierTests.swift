import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR

/// Variations of a valid plan (x: f32[?n] → kernel @twice → out) with one mistake each.
private enum PV {
    static let n = Dim.symbol(.fresh(hint: "n"))
    static let valid = Plan(kernels: [PT.double], buffers: [PT.arg(0, [n]), PT.temp([n]), PT.temp([n])],
                            steps: [.kernel(0, buffers: [PT.b(0), PT.b(1)], params: [n]),
                                    .kernel(0, buffers: [PT.b(1), PT.b(2)], params: [n])],
                            outputs: [PT.b(2)], argumentCount: 1)

    static func with(_ change: (inout Plan) -> Void) -> Plan {
        var plan = valid
        change(&plan)
        return plan
    }

    static let softmax = Node.make(.softmax(axis: 0), [KT.input("h", .float32, [n])], at: KT.loc)

    static let rows: [(String, Plan)] = [
        ("step 1: buffer %b9 does not exist", with { $0.steps[1] = .kernel(0, buffers: [PT.b(1), PT.b(9)], params: [n]) }),
        ("step 0: kernel 3 does not exist (1 kernels)", with { $0.steps[0] = .kernel(3, buffers: [PT.b(0), PT.b(1)], params: [n]) }),
        ("step 0: @twice takes 2 buffers, got 1", with { $0.steps[0] = .kernel(0, buffers: [PT.b(1)], params: [n]) }),
        ("step 0: @twice takes 1 params, got 0", with { $0.steps[0] = .kernel(0, buffers: [PT.b(0), PT.b(1)], params: []) }),
        ("step 1: @twice buffer %out is f32, %b2 is f64", with { $0.buffers[2].dtype = .float64 }),
        ("step 0: writes %b0, which is argument 0 memory (read only)",
         with { $0.steps[0] = .kernel(0, buffers: [PT.b(1), PT.b(0)], params: [n]) }),
        ("step 1: writes %b2, which is constant memory (read only)",
         with { $0.buffers[2].source = .constant(Tensor(zeros: [2])) }),
        ("step 0: writes %b1, which is argument 0 memory (read only)", with { $0.buffers[1].source = .alias(PT.b(0)) }),
        ("step 2: gemm buffers are f32, f32, i32, expected all f32 or all f64", with {
            $0.buffers.append(PT.temp(.int32, [n]))
            $0.steps.append(.gemm(GemmStep(a: PT.b(1), b: PT.b(2), c: PT.b(3), transA: false, transB: false, m: 1, n: 1, k: n)))
        }),
        ("step 2: reference softmax takes 1 operands, got 2",
         with { $0.steps.append(.reference(softmax, inputs: [PT.b(1), PT.b(2)], output: PT.b(2))) }),
        ("step 2: reference softmax operand 0 is f32[?n], %b3 is i64 of rank 1", with {
            $0.buffers.append(PT.temp(.int64, [n]))
            $0.steps.append(.reference(softmax, inputs: [PT.b(3)], output: PT.b(2)))
        }),
        ("step 2: reference softmax gives f32[?n], %b3 is f32 of rank 2", with {
            $0.buffers.append(PT.temp([n, n]))
            $0.steps.append(.reference(softmax, inputs: [PT.b(2)], output: PT.b(3)))
        }),
        ("%b1: aliases %b7, which does not exist", with { $0.buffers[1].source = .alias(PT.b(7)) }),
        ("%b1: alias chain has a cycle", with {
            $0.buffers[1].source = .alias(PT.b(2))
            $0.buffers[2].source = .alias(PT.b(1))
        }),
        ("%b1: argument 1 is outside 0..<1", with { $0.buffers[1].source = .argument(1) }),
        ("%b1: argument 0 is f64 here but f32 in an earlier buffer", with {
            $0.buffers[1] = PT.arg(0, .float64, [n])
        }),
        ("%b1: constant is f64, buffer is f32", with { $0.buffers[1].source = .constant(Tensor(zeros: [2], dtype: .float64)) }),
        ("output 0: buffer %b5 does not exist", with { $0.outputs = [PT.b(5)] }),
        ("@bad: `%v0 = %v9 : i64`: %v9 is used before definition", with {
            $0.kernels.append(Kernel(name: "bad", buffers: [], paramNames: [],
                                     body: [.assign(KT.v(0), .int64, KT.val(9))]))
        }),
    ]
}

@Suite struct PlanRunnerVerifierTests {
    @Test func validPlanVerifies() {
        #expect(verifyPlan(PV.valid) == [])
        #expect(verifyPlan(PT.dense()) == [])
        #expect(verifyPlan(PT.chain()) == [])
    }

    @Test(arguments: PV.rows)
    func catchesProblem(_ expected: String, _ plan: Plan) {
        let problems = verifyPlan(plan)
        #expect(problems.contains { $0.contains(expected) }, "\(problems)")
        #expect(problems.count == 1, "\(problems)")
    }

    @Test func runnerRefusesInvalidPlans() {
        #expect(throws: KernelIRError.self) { try PlanRunner(plan: PV.rows[0].1, compiler: KernelInterpreter()) }
    }
}
