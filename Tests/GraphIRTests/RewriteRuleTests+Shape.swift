import GraphIR
import TensorRuntime

extension RewriteRuleTests {
    static let shape: [RuleCase] = [
        RuleCase("mergeDimshuffle", "mergeDimshuffle", [A.f("x", [2, 3])], golden: """
            graph @rule(%x: f64[?x0,3]) -> (f64[1,?x0,3]) {
              %0 = dimshuffle %x {pattern=[x,0,1]} : f64[1,?x0,3]
              %1 = exp %0 : f64[1,?x0,3]
              return %1
            }
            """) { v in
            let t = Build.dimshuffle(v[0], [1, 0], at: RW.loc)
            return RW.un(.exp, Build.dimshuffle(t, [nil, 1, 0], at: RW.loc))
        },
        RuleCase("uselessDimshuffle", "uselessDimshuffle", [A.f("x", [2, 3])], golden: """
            graph @rule(%x: f64[?x0,3]) -> (f64[?x0,3]) {
              %0 = exp %x : f64[?x0,3]
              return %0
            }
            """) { v in
            RW.un(.exp, RW.make(.dimshuffle([0, 1]), [v[0]]))
        },
        RuleCase("liftDimshuffle", "liftDimshuffle", also: ["mergeDimshuffle"],
                 [A.f("x", [2, 3]), A.f("y", [3, 2], symbolic: false)], golden: """
            graph @rule(%x: f64[?x0,3], %y: f64[3,2]) -> (f64[2,3]) {
              %0 = dimshuffle %y {pattern=[1,0]} : f64[2,3]
              %1 = add %x, %0 : f64[2,3]
              return %1
            }
            """) { v in
            let sum = RW.add(Build.dimshuffle(v[0], [1, 0], at: RW.loc), v[1])
            return Build.dimshuffle(sum, [1, 0], at: RW.loc)
        },
        RuleCase("uniformFill", "uniformFill", [A.f("x", [2, 3])], golden: """
            graph @rule(%x: f64[?x0,3]) -> (f64[?x0,3]) {
              %0 = constant 1.5 : f64[]
              %1 = broadcast %0 {shape=[?x0,3]} : f64[?x0,3]
              %2 = mul %x, %1 : f64[?x0,3]
              return %2
            }
            """) { v in
            let ones = Build.constant(Tensor(repeating: 1.5, shape: [3], dtype: .float64), at: RW.loc)
            return RW.mul(v[0], Build.dimshuffle(ones, [nil, 0], at: RW.loc))
        },
        RuleCase("mergeReshape", "mergeReshape", [A.f("x", [2, 3], symbolic: false)], golden: """
            graph @rule(%x: f64[2,3]) -> (f64[3,2]) {
              %0 = reshape %x {shape=[3,2]} : f64[3,2]
              %1 = exp %0 : f64[3,2]
              return %1
            }
            """) { v in
            RW.un(.exp, Build.reshape(Build.reshape(v[0], [6], at: RW.loc), [3, 2], at: RW.loc))
        },
        RuleCase("uselessReshape", "uselessReshape", [A.f("x", [2, 3])], golden: """
            graph @rule(%x: f64[?x0,3]) -> (f64[?x0,3]) {
              %0 = exp %x : f64[?x0,3]
              return %0
            }
            """) { v in
            RW.un(.exp, RW.make(.reshape(v[0].type.shape), [v[0]]))
        },
        RuleCase("mergeBroadcast", "mergeBroadcast", [A.f("x", [3], symbolic: false)], golden: """
            graph @rule(%x: f64[3]) -> (f64[4,2,3]) {
              %0 = broadcast %x {shape=[4,2,3]} : f64[4,2,3]
              %1 = exp %0 : f64[4,2,3]
              return %1
            }
            """) { v in
            RW.un(.exp, RW.make(.broadcast([4, 2, 3]), [RW.make(.broadcast([2, 3]), [v[0]])]))
        },
        RuleCase("uselessBroadcast", "uselessBroadcast", [A.f("x", [2, 3])], golden: """
            graph @rule(%x: f64[?x0,3]) -> (f64[?x0,3]) {
              %0 = exp %x : f64[?x0,3]
              return %0
            }
            """) { v in
            RW.un(.exp, RW.make(.broadcast(v[0].type.shape), [v[0]]))
        },
        RuleCase("mergeCast", "mergeCast", [A.i("k", [4], -9...9)], golden: """
            graph @rule(%k: i32[?k0]) -> (f64[?k0]) {
              %0 = cast<f64> %k : f64[?k0]
              return %0
            }
            """) { v in
            Build.cast(Build.cast(v[0], to: .int64, at: RW.loc), to: .float64, at: RW.loc)
        },
        RuleCase("uselessCast", "uselessCast", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = exp %x : f64[?x0]
              return %0
            }
            """) { v in
            RW.un(.exp, RW.make(.elementwise(.cast(.float64)), [v[0]]))
        },
        RuleCase("uselessReduce", "uselessReduce", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = exp %x : f64[?x0]
              return %0
            }
            """) { v in
            RW.un(.exp, RW.make(.reduce(.max, axes: [], keepDims: false), [v[0]]))
        },
        RuleCase("removeStopGradient", "removeStopGradient", [A.f("x", [3])], golden: """
            graph @rule(%x: f64[?x0]) -> (f64[?x0]) {
              %0 = exp %x : f64[?x0]
              return %0
            }
            """) { v in
            RW.un(.exp, Build.stopGradient(v[0], at: RW.loc))
        },
        RuleCase("dimensionConstant", "dimensionConstant", [A.f("x", [2, 3])], golden: """
            graph @rule(%x: f64[?x0,3]) -> (i64[]) {
              %0 = constant 3 : i64[]
              return %0
            }
            """) { v in
            Build.dimension(RW.un(.exp, v[0]), axis: 1, at: RW.loc)
        },
        RuleCase("dimensionFromInput", "dimensionFromInput", [A.f("x", [2, 3])], golden: """
            graph @rule(%x: f64[?x0,3]) -> (i64[]) {
              %0 = dimension %x {axis=0} : i64[]
              return %0
            }
            """) { v in
            Build.dimension(RW.un(.exp, v[0]), axis: 0, at: RW.loc)
        },
        RuleCase("dimensionFromInput expression", "dimensionFromInput", [A.f("x", [2, 3])], golden: """
            graph @rule(%x: f64[?x0,3]) -> (i64[]) {
              %0 = constant 3 : i64[]
              %1 = dimension %x {axis=0} : i64[]
              %2 = mul %0, %1 : i64[]
              return %2
            }
            """) { v in
            Build.dimension(Build.flatten(RW.un(.exp, v[0]), outdim: 1, at: RW.loc), axis: 0, at: RW.loc)
        },
    ]
}
