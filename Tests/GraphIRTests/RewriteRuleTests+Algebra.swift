import GraphIR
import TensorRuntime

extension RewriteRuleTests {
    typealias A = RW.Arg

    static let algebra: [RuleCase] = [
        RuleCase("constantFold", "constantFold", [A.f("x", [4, 2])], golden: """
            graph @rule(%x: f64[?x0,2]) -> (f64[?x0,2]) {
              %0 = constant [3.0, 10.0] : f64[2]
              %1 = broadcast %0 {shape=[?x0,2]} : f64[?x0,2]
              %2 = add %x, %1 : f64[?x0,2]
              return %2
            }
            """) { v in
            let c1 = Build.constant(try! Tensor(shape: [2], values: [1, 2], dtype: .float64), at: RW.loc)
            let c2 = Build.constant(try! Tensor(shape: [2], values: [3, 5], dtype: .float64), at: RW.loc)
            return RW.add(v[0], RW.mul(c1, c2))
        },
        RuleCase("cse", "cse", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = exp %x : f64[?x0]
              %1 = add %0, %0 : f64[?x0]
              return %1
            }
            """) { v in
            RW.add(RW.un(.exp, v[0]), RW.un(.exp, v[0]))
        },
        RuleCase("cse commutative", "cse", [A.f("x", [3]), A.f("y", [3])], golden: """
            graph @rule(%x: f64[?x0], %y: f64[?y0]) -> (f64[?x0]) {
              %0 = add %x, %y : f64[?x0]
              %1 = mul %0, %0 : f64[?x0]
              return %1
            }
            """) { v in
            RW.mul(RW.add(v[0], v[1]), RW.add(v[1], v[0]))
        },
        RuleCase("negNeg", "negNeg", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = exp %x : f64[?x0]
              return %0
            }
            """) { v in
            RW.un(.exp, RW.un(.neg, RW.un(.neg, v[0])))
        },
        RuleCase("mulOne", "mulOne", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = exp %x : f64[?x0]
              return %0
            }
            """) { v in RW.un(.exp, RW.mul(v[0], RW.c(1))) },
        RuleCase("mulOne left", "mulOne", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = exp %x : f64[?x0]
              return %0
            }
            """) { v in RW.un(.exp, RW.mul(RW.c(1), v[0])) },
        RuleCase("addZero", "addZero", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = exp %x : f64[?x0]
              return %0
            }
            """) { v in RW.un(.exp, RW.add(v[0], RW.c(0))) },
        RuleCase("subZero", "subZero", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = exp %x : f64[?x0]
              return %0
            }
            """) { v in RW.un(.exp, RW.sub(v[0], RW.c(0))) },
        RuleCase("zeroSub", "zeroSub", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = neg %x : f64[?x0]
              %1 = exp %0 : f64[?x0]
              return %1
            }
            """) { v in RW.un(.exp, RW.sub(RW.c(0), v[0])) },
        RuleCase("divOne", "divOne", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = exp %x : f64[?x0]
              return %0
            }
            """) { v in RW.un(.exp, RW.div(v[0], RW.c(1))) },
        RuleCase("subSelf", "subSelf", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = constant 0.0 : f64[]
              %1 = broadcast %0 {shape=[?x0]} : f64[?x0]
              %2 = add %1, %x : f64[?x0]
              return %2
            }
            """) { v in
            let e = RW.un(.exp, v[0])
            return RW.add(RW.sub(e, e), v[0])
        },
        RuleCase("collectAddConstants", "collectAddConstants", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = exp %x : f64[?x0]
              %1 = constant 3.0 : f64[]
              %2 = broadcast %1 {shape=[?x0]} : f64[?x0]
              %3 = add %0, %2 : f64[?x0]
              return %3
            }
            """) { v in
            RW.add(RW.add(RW.un(.exp, v[0]), RW.c(1)), RW.c(2))
        },
        RuleCase("collectAddConstants with sub", "collectAddConstants", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = constant 2.0 : f64[]
              %1 = broadcast %0 {shape=[?x0]} : f64[?x0]
              %2 = sub %x, %1 : f64[?x0]
              return %2
            }
            """) { v in
            RW.sub(RW.add(RW.c(1), v[0]), RW.c(3))
        },
        RuleCase("collectMulConstants", "collectMulConstants", [A.f("x", [3]), A.f("y", [3])], golden: """
            graph @rule(%x: f64[?x0], %y: f64[?y0]) -> (f64[?x0]) {
              %0 = mul %x, %y : f64[?x0]
              %1 = constant 6.0 : f64[]
              %2 = broadcast %1 {shape=[?x0]} : f64[?x0]
              %3 = mul %0, %2 : f64[?x0]
              return %3
            }
            """) { v in
            RW.mul(RW.mul(RW.mul(v[0], RW.c(2)), v[1]), RW.c(3))
        },
        RuleCase("collectMulConstants with div", "collectMulConstants", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = constant 2.0 : f64[]
              %1 = broadcast %0 {shape=[?x0]} : f64[?x0]
              %2 = mul %x, %1 : f64[?x0]
              return %2
            }
            """) { v in
            RW.div(RW.mul(v[0], RW.c(4)), RW.c(2))
        },
        RuleCase("distributeMul", "distributeMul", [A.f("a", [3]), A.f("b", [3]), A.f("c", [3])], golden: """
            graph @rule(%a: f64[?a0], %b: f64[?b0], %c: f64[?c0]) -> (f64[?a0]) {
              %0 = mul %a, %c : f64[?a0]
              %1 = mul %b, %c : f64[?b0]
              %2 = add %0, %1 : f64[?a0]
              return %2
            }
            """) { v in
            RW.mul(RW.add(v[0], v[1]), v[2])
        },
    ]
}
