import GraphIR
import TensorRuntime

extension RewriteRuleTests {
    static let stabilize: [RuleCase] = [
        RuleCase("logSoftmax", "logSoftmax", [A.f("x", [2, 4])], golden: """
            graph @rule(%x: f64[?x0,4]) -> (f64[?x0,4]) {
              %0 = logSoftmax %x {axis=1} : f64[?x0,4]
              return %0
            }
            """) { v in
            RW.un(.log, Build.softmax(v[0], axis: 1, at: RW.loc))
        },
        RuleCase("logSoftmax through a transpose", "logSoftmax", [A.f("x", [2, 4])], golden: """
            graph @rule(%x: f64[?x0,4]) -> (f64[4,?x0]) {
              %0 = logSoftmax %x {axis=1} : f64[?x0,4]
              %1 = dimshuffle %0 {pattern=[1,0]} : f64[4,?x0]
              return %1
            }
            """) { v in
            RW.un(.log, Build.transpose(Build.softmax(v[0], axis: 1, at: RW.loc), axes: nil, at: RW.loc))
        },
        RuleCase("crossentropySoftmax1Hot", "crossentropySoftmax1Hot", [A.f("x", [3, 4]), A.i("y", [3], 0...3)],
                 golden: """
            graph @rule(%x: f64[?x0,4], %y: i32[?y0]) -> (f64[?x0]) {
              %0 = logSoftmax %x {axis=1} : f64[?x0,4]
              %1 = constant 0 : i64[]
              %2 = softmax %x {axis=1} : f64[?x0,4]
              %3 = dimension %2 {axis=0} : i64[]
              %4 = constant 1 : i64[]
              %5 = arange %1, %3, %4 {length=?x0} : i64[?x0]
              %6 = cast<i64> %y : i64[?y0]
              %7 = advancedIndex %0, %5, %6 : f64[?x0]
              %8 = neg %7 : f64[?x0]
              return %8
            }
            """) { v in
            Build.categoricalCrossentropy(Build.softmax(v[0], axis: 1, at: RW.loc), v[1], at: RW.loc)
        },
        RuleCase("expLogSoftmax", "expLogSoftmax", [A.f("x", [2, 4])], golden: """
            graph @rule(%x: f64[?x0,4]) -> (f64[?x0,4]) {
              %0 = softmax %x {axis=1} : f64[?x0,4]
              return %0
            }
            """) { v in
            RW.un(.exp, Build.logSoftmax(v[0], axis: 1, at: RW.loc))
        },
        RuleCase("logSigmoid", "logSigmoid", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = neg %x : f64[?x0]
              %1 = softplus %0 : f64[?x0]
              %2 = neg %1 : f64[?x0]
              return %2
            }
            """) { v in
            RW.un(.log, RW.un(.sigmoid, v[0]))
        },
        RuleCase("logOneMinusSigmoid", "logOneMinusSigmoid", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = softplus %x : f64[?x0]
              %1 = neg %0 : f64[?x0]
              return %1
            }
            """) { v in
            RW.un(.log, RW.sub(RW.c(1), RW.un(.sigmoid, v[0])))
        },
        RuleCase("logOneMinusSigmoid log1p form", "logOneMinusSigmoid", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = softplus %x : f64[?x0]
              %1 = neg %0 : f64[?x0]
              return %1
            }
            """) { v in
            RW.un(.log1p, RW.un(.neg, RW.un(.sigmoid, v[0])))
        },
        RuleCase("softplus", "softplus", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = softplus %x : f64[?x0]
              return %0
            }
            """) { v in
            RW.un(.log, RW.add(RW.c(1), RW.un(.exp, v[0])))
        },
        RuleCase("softplus log1p form", "softplus", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = softplus %x : f64[?x0]
              return %0
            }
            """) { v in
            RW.un(.log1p, RW.un(.exp, v[0]))
        },
        RuleCase("log1p", "log1p", [A.f("x", [3], 0...2)], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = log1p %x : f64[?x0]
              return %0
            }
            """) { v in RW.un(.log, RW.add(v[0], RW.c(1))) },
        RuleCase("log1p of 1 - x", "log1p", [A.f("x", [3], -2...0.5)], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = neg %x : f64[?x0]
              %1 = log1p %0 : f64[?x0]
              return %1
            }
            """) { v in
            RW.un(.log, RW.sub(RW.c(1), v[0]))
        },
        RuleCase("expm1", "expm1", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = expm1 %x : f64[?x0]
              return %0
            }
            """) { v in RW.sub(RW.un(.exp, v[0]), RW.c(1)) },
        RuleCase("sigmoid", "sigmoid", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = sigmoid %x : f64[?x0]
              return %0
            }
            """) { v in
            let e = RW.un(.exp, v[0])
            return RW.div(e, RW.add(RW.c(1), e))
        },
        RuleCase("sigmoid reciprocal form", "sigmoid", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = sigmoid %x : f64[?x0]
              return %0
            }
            """) { v in
            RW.div(RW.c(1), RW.add(RW.c(1), RW.un(.exp, RW.un(.neg, v[0]))))
        },
        RuleCase("logSumExp", "logSumExp", [A.f("x", [2, 4])], golden: """
            graph @rule(%x: f64[?x0,4]) -> (f64[?x0]) {
              %0 = max %x {axes=[1], keepDims=true} : f64[?x0,1]
              %1 = abs %0 : f64[?x0,1]
              %2 = constant inf : f64[]
              %3 = broadcast %2 {shape=[?x0,1]} : f64[?x0,1]
              %4 = eq %1, %3 : bool[?x0,1]
              %5 = constant 0.0 : f64[]
              %6 = broadcast %5 {shape=[?x0,1]} : f64[?x0,1]
              %7 = select %4, %6, %0 : f64[?x0,1]
              %8 = stopGradient %7 : f64[?x0,1]
              %9 = broadcast %8 {shape=[?x0,4]} : f64[?x0,4]
              %10 = sub %x, %9 : f64[?x0,4]
              %11 = exp %10 : f64[?x0,4]
              %12 = sum %11 {axes=[1]} : f64[?x0]
              %13 = log %12 : f64[?x0]
              %14 = dimshuffle %8 {pattern=[0]} : f64[?x0]
              %15 = add %13, %14 : f64[?x0]
              return %15
            }
            """) { v in
            RW.un(.log, RW.sum(RW.un(.exp, v[0]), [1]))
        },
        RuleCase("cancelDivMul", "cancelDivMul", [A.f("g", [3]), A.f("x", [3])], golden: """
            graph @rule(%g: f64[?g0], %x: f64[?x0]) -> (f64[?g0]) {
              return %g
            }
            """) { v in
            let s = RW.un(.sigmoid, v[1])
            return RW.mul(RW.div(v[0], s), s)
        },
        RuleCase("scatterCancel", "scatterCancel", also: ["cse"], [A.f("x", [3, 4]), A.i("y", [3], 0...3), A.f("g", [3])],
                 golden: """
            graph @rule(%x: f64[?x0,4], %y: i32[?y0], %g: f64[?g0]) -> (f64[?x0,4]) {
              %0 = constant 0.0 : f64[]
              %1 = softmax %x {axis=1} : f64[?x0,4]
              %2 = dimension %1 {axis=0} : i64[]
              %3 = constant 4 : i64[]
              %4 = alloc %0, %2, %3 {shape=[?x0,4]} : f64[?x0,4]
              %5 = constant 0 : i64[]
              %6 = dimension %x {axis=0} : i64[]
              %7 = constant 1 : i64[]
              %8 = arange %5, %6, %7 {length=?x0} : i64[?x0]
              %9 = cast<i64> %y : i64[?y0]
              %10 = setAdvancedIndex %4, %g, %8, %9 {accumulate=true} : f64[?x0,4]
              return %10
            }
            """) { v in
            let p = Build.softmax(v[0], axis: 1, at: RW.loc)
            let rows = Build.arange(RW.c(0, .int64), Build.dimension(v[0], axis: 0, at: RW.loc), RW.c(1, .int64),
                                    dtype: .int64, at: RW.loc)
            let picked = Build.advancedIndex(p, [rows, v[1]], at: RW.loc)
            let zeros = Build.advancedIndex(Build.fill(like: p, value: 0, dtype: nil, at: RW.loc), [rows, v[1]], at: RW.loc)
            let scatter = Build.setSubtensor(zeros, RW.div(v[2], picked), accumulate: true, at: RW.loc)
            return RW.mul(p, scatter)
        },
        RuleCase("distributeCancel", "distributeCancel", also: ["cancelDivMul"],
                 [A.f("g", [2, 3], symbolic: false), A.f("x", [2, 3], symbolic: false)],
                 golden: """
            graph @rule(%g: f64[2,3], %x: f64[2,3]) -> (f64[2,3]) {
              %0 = softmax %x {axis=1} : f64[2,3]
              %1 = sum %g {axes=[1], keepDims=true} : f64[2,1]
              %2 = broadcast %1 {shape=[2,3]} : f64[2,3]
              %3 = mul %0, %2 : f64[2,3]
              %4 = sub %g, %3 : f64[2,3]
              return %4
            }
            """) { v in
            let p = Build.softmax(v[1], axis: 1, at: RW.loc)
            let q = RW.div(v[0], p)
            return RW.mul(p, RW.sub(q, RW.sum(RW.mul(q, p), [1], keep: true)))
        },
    ]
}
