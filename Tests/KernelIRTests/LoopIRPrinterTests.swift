import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR

@Suite struct LoopIRPrinterTests {
    @Test func elementwiseKernelGolden() {
        #expect(printKernel(KT.elementwise) == """
            kernel @k0(%x: f32 read, %y: f32 read, %out: f32 write; n) {
              for %v0 in 0..<n parallel vectorize {
                %v1 = mul(load %x[%v0], load %y[%v0]) : f32
                %v2 = tanh(add(%v1, 1.0)) : f32
                store %out[%v0], %v2
              }
            }

            """)
    }

    @Test func rowReductionWithCarriedValueGolden() {
        #expect(printKernel(KT.rowSum) == """
            kernel @rowsum(%x: f32 read, %out: f32 write; n, m) {
              for %v0 in 0..<n parallel {
                for %v1 in 0..<m iter(%v2 = 0.0_f64 : f64) vectorize {
                  yield add(%v2, cast<f64>(load %x[%v0 * m + %v1]))
                }
                store %out[%v0], cast<f32>(%v2)
              }
            }

            """)
    }

    @Test func argmaxAndGatherGolden() {
        let text = printKernel(KT.argmax) + printKernel(KT.gather)
        #expect(text == """
            kernel @argmax(%x: f32 read, %out: i64 write; n, m) {
              for %v0 in 0..<n {
                %v6 = load %x[%v0 * m] : f32
                for %v1 in 0..<m iter(%v2 = %v6 : f32, %v3 = 0 : i64) {
                  %v4 = load %x[%v0 * m + %v1] : f32
                  %v5 = or(gt(%v4, %v2), and(neq(%v4, %v4), eq(%v2, %v2))) : bool
                  yield select(%v5, %v4, %v2), select(%v5, %v1, %v3)
                }
                store %out[%v0], %v3
              }
            }
            kernel @gather(%x: f64 read, %idx: i32 read, %out: f64 write; n, m) {
              for %v0 in 0..<n {
                %v1 = cast<i64>(load %idx[%v0]) : i64
                check 0 <= %v1 < m else return 7
                store %out[%v0], load %x[%v1]
              }
            }

            """)
    }

    @Test func planGolden() {
        var plan = PT.dense()
        plan.errorMessages[3] = PlanErrorMessage(op: "advancedIndex", message: "index out of bounds for axis 0 with size {0}",
                                                 sizes: [plan.buffers[0].shape[0]], location: KT.loc)
        #expect(printPlan(plan) == """
            plan @dense(3 arguments) -> (%b5, %b4) {
              buffers
                %b0: f32[?n,3] argument 0 'x'
                %b1: f32[3,4] argument 1 'W'
                %b2: f32[4] argument 2 'w'
                %b3: f32[?n,4] temporary live 0...1
                %b4: f32[?n,4] output
                %b5: f32[?n,4] output
                %b6: f32[1] constant [0.25]
              steps
                0: gemm %b3 = %b0 * %b1 {m=?n, n=4, k=3}
                1: kernel @bcast(%b3, %b2, %b6, %b4; ?n, 4)
                2: reference %b5 = softmax %b4 : f32[?n,4] (at KernelIRTests/Fixtures.swift:11)
              errors
                3: advancedIndex: index out of bounds for axis 0 with size ?n (at KernelIRTests/Fixtures.swift:11)
            }

            kernel @bcast(%x: f32 read, %w: f32 read, %b: f32 read, %out: f32 write; n, m) {
              for %v0 in 0..<n parallel {
                for %v1 in 0..<m vectorize {
                  %v2 = %v0 * m + %v1 : i64
                  %v3 = add(mul(load %x[%v2], load %w[%v1]), load %b[0]) : f32
                  store %out[%v2], tanh(%v3)
                }
              }
            }

            """)
    }

    @Test func planPrinterNamesClashingSymbolsApartAndShowsBatchedGemm() {
        let n1 = Dim.symbol(.fresh(hint: "n")), n2 = Dim.symbol(.fresh(hint: "n"))
        let plan = Plan(kernels: [], buffers: [PT.arg(0, [n1, 2, 3]), PT.arg(1, [n1, 3, n2]), PT.temp([n1, 2, n2]),
                                               PlanBuffer(dtype: .float32, shape: [n1 * 2, n2], source: .alias(PT.b(2)))],
                        steps: [.gemm(GemmStep(a: PT.b(0), b: PT.b(1), c: PT.b(2), transA: false, transB: true, m: 2, n: n2,
                                               k: 3, alpha: 0.5, batch: n1, strideA: 6, strideB: 3 * n2, strideC: 2 * n2))],
                        outputs: [PT.b(3)], argumentCount: 2)
        let text = printPlan(plan)
        #expect(text.contains("%b1: f32[?n,3,?n_1] argument 1\n"))
        #expect(text.contains("%b3: f32[(2*?n),?n_1] alias %b2\n"))
        #expect(text.contains("0: gemm %b2 = %b0 * %b1^T {m=2, n=?n_1, k=3, alpha=0.5, batch=?n, strides=[6,(3*?n_1),(2*?n_1)]}"))
    }

    /// Index arithmetic prints infix with only the parentheses precedence needs.
    @Test(arguments: [
        (KExpr.index(.mul, .index(.add, .param(0), .intConstant(1)), .intConstant(4)), "(n + 1) * 4"),
        (.index(.sub, .intConstant(9), .index(.sub, .param(0), .intConstant(1))), "9 - (n - 1)"),
        (.index(.add, .index(.floorDiv, .param(0), .intConstant(2)), .index(.floorMod, .param(0), .intConstant(3))),
         "n // 2 + n % 3"),
        (.index(.max, .intConstant(0), .index(.min, .param(0), .intConstant(5))), "max(0, min(n, 5))"),
        (.constant(2, .int32), "2_i32"), (.constant(1, .bool), "true"), (.constant(0.5, .float64), "0.5_f64"),
        (.constant(-.infinity, .float32), "-inf"), (.op(.cast(.uint8), [.param(0)]), "cast<u8>(n)"),
    ] as [(KExpr, String)])
    func expressionText(_ e: KExpr, _ expected: String) {
        let printer = LoopIRPrinter(kernel: Kernel(name: "k", buffers: [], paramNames: ["n"], body: []))
        #expect(printer.expression(e) == expected)
    }
}
