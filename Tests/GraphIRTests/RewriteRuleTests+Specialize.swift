import GraphIR
import TensorRuntime

extension RewriteRuleTests {
    static let specialize: [RuleCase] = [
        RuleCase("powSpecial square", "powSpecial", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = mul %x, %x : f64[?x0]
              return %0
            }
            """) { v in RW.bin(.pow, v[0], RW.c(2)) },
        RuleCase("powSpecial sqrt", "powSpecial", [A.f("x", [3], 0.1...3)], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = sqrt %x : f64[?x0]
              return %0
            }
            """) { v in
            RW.bin(.pow, v[0], RW.c(0.5))
        },
        RuleCase("powSpecial one", "powSpecial", [A.f("x", [3], 0.1...3)], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = exp %x : f64[?x0]
              return %0
            }
            """) { v in
            RW.un(.exp, RW.bin(.pow, v[0], RW.c(1)))
        },
        RuleCase("powSpecial reciprocal", "powSpecial", [A.f("x", [3], 0.5...3)], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = constant 1.0 : f64[]
              %1 = broadcast %0 {shape=[?x0]} : f64[?x0]
              %2 = div %1, %x : f64[?x0]
              return %2
            }
            """) { v in
            RW.bin(.pow, v[0], RW.c(-1))
        },
        RuleCase("mulMinusOne", "mulMinusOne", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = neg %x : f64[?x0]
              return %0
            }
            """) { v in RW.mul(v[0], RW.c(-1)) },
        RuleCase("argmaxSoftmax", "argmaxSoftmax", [A.f("x", [3, 4])], golden: """
            graph @rule(%x: f64[?x0,4]) -> (i64[?x0]) {
              %0 = argmax %x {axis=1} : i64[?x0]
              return %0
            }
            """) { v in
            Build.argmax(Build.softmax(v[0], axis: 1, at: RW.loc), axis: 1, keepDims: false, at: RW.loc)
        },
        RuleCase("meanToSum", "meanToSum", [A.f("x", [3, 4])], golden: """
            graph @rule(%x: f64[?x0,4]) -> (f64[?x0]) {
              %0 = sum %x {axes=[1]} : f64[?x0]
              %1 = constant 0.25 : f64[]
              %2 = broadcast %1 {shape=[?x0]} : f64[?x0]
              %3 = mul %0, %2 : f64[?x0]
              return %3
            }
            """) { v in
            Build.reduce(.mean, v[0], axes: [1], keepDims: false, at: RW.loc)
        },
        RuleCase("meanToSum symbolic", "meanToSum", [A.f("x", [3, 4])], golden: """
            graph @rule(%x: f64[?x0,4]) -> (f64[1,4]) {
              %0 = sum %x {axes=[0], keepDims=true} : f64[1,4]
              %1 = dimension %x {axis=0} : i64[]
              %2 = cast<f64> %1 : f64[]
              %3 = broadcast %2 {shape=[1,4]} : f64[1,4]
              %4 = div %0, %3 : f64[1,4]
              return %4
            }
            """) { v in
            Build.reduce(.mean, v[0], axes: [0], keepDims: true, at: RW.loc)
        },
        RuleCase("gemm dot + c", "gemm", [A.f("a", [3, 4]), A.f("b", [4, 2], symbolic: false), A.f("c", [2], symbolic: false)],
                 golden: """
            graph @rule(%a: f64[?a0,4], %b: f64[4,2], %c: f64[2]) -> (f64[?a0,2]) {
              %0 = broadcast %c {shape=[?a0,2]} : f64[?a0,2]
              %1 = constant 1.0 : f64[]
              %2 = constant 1.0 : f64[]
              %3 = gemm %0, %1, %a, %b, %2 : f64[?a0,2]
              return %3
            }
            """) { v in
            RW.add(Build.dot(v[0], v[1], at: RW.loc), v[2])
        },
        RuleCase("gemm c - lr·aᵀb", "gemm",
                 [A.f("w", [4, 2], symbolic: false), A.f("a", [3, 4]), A.f("g", [3, 2]), A.f("lr", [])],
                 golden: """
            graph @rule(%w: f64[4,2], %a: f64[?a0,4], %g: f64[?g0,2], %lr: f64[]) -> (f64[4,2]) {
              %0 = neg %lr : f64[]
              %1 = constant 1.0 : f64[]
              %2 = gemm %w, %0, %a, %g, %1 {transA=true} : f64[4,2]
              return %2
            }
            """) { v in
            RW.sub(v[0], RW.mul(v[3], Build.dot(Build.transpose(v[1], axes: nil, at: RW.loc), v[2], at: RW.loc)))
        },
        RuleCase("gemm α·abᵀ - c", "gemm", [A.f("a", [3, 4]), A.f("b", [2, 4], symbolic: false),
                                           A.f("c", [3, 2], symbolic: false)],
                 golden: """
            graph @rule(%a: f64[?a0,4], %b: f64[2,4], %c: f64[3,2]) -> (f64[3,2]) {
              %0 = constant 0.5 : f64[]
              %1 = constant -1.0 : f64[]
              %2 = gemm %c, %0, %a, %b, %1 {transB=true} : f64[3,2]
              return %2
            }
            """) { v in
            RW.sub(RW.mul(Build.dot(v[0], Build.transpose(v[1], axes: nil, at: RW.loc), at: RW.loc), RW.c(0.5)), v[2])
        },
    ]
}
