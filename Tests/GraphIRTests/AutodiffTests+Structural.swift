import GraphIR
import Testing
import TensorRuntime

/// Gradient-vs-central-difference rows for reductions, linear algebra and NN ops.
enum ReduceGradCases {
    static let m = GradArg.random("x", [3, 4])
    static let t3 = GradArg.random("x", [2, 3, 4])

    static func row(_ r: Reduction, _ arg: GradArg, _ axes: [Int]?, keep: Bool) -> GradCase {
        GradCase("\(r) axes \(axes.map(String.init(describing:)) ?? "all") keep \(keep)", [arg]) {
            adReduce(r, $0[0], axes, keep: keep)
        }
    }

    static let rows: [GradCase] = [Reduction.sum, .mean, .max, .min].flatMap { r in
        [row(r, m, [0], keep: false), row(r, m, [1], keep: true), row(r, m, nil, keep: false),
         row(r, t3, [0, 2], keep: false), row(r, t3, [-1], keep: true)]
    } + [
        row(.prod, .random("x", [3, 4], 0.5...1.5, signed: true), [1], keep: false),
        row(.prod, .random("x", [2, 3], 0.5...1.5, signed: true), nil, keep: true),
        GradCase("argmax picks the row maximum", [m]) {
            let rows = Build.arange(adI64(0), adI64(3), adI64(1), dtype: .int64, at: adHere)
            let columns = Build.argmax($0[0], axis: 1, keepDims: false, at: adHere)
            return Build.advancedIndex($0[0], [rows, columns], at: adHere)
        },
        GradCase("argmin scales", [m]) {
            adBinary(.mul, $0[0], adToF64(Build.argmin($0[0], axis: 0, keepDims: true, at: adHere)))
        },
        GradCase("variance", [t3]) { Build.variance($0[0], axes: [1], keepDims: false, ddof: 1, at: adHere) },
        GradCase("std", [t3]) { Build.std($0[0], axes: nil, keepDims: false, ddof: 0, at: adHere) },
    ]
}

enum LinalgGradCases {
    static func dot(_ aShape: [Int], _ bShape: [Int]) -> GradCase {
        GradCase("dot \(aShape)·\(bShape)", [.random("a", aShape), .random("b", bShape)]) {
            Build.dot($0[0], $0[1], at: adHere)
        }
    }

    static let rows: [GradCase] = [
        dot([4], [4]), dot([3, 4], [4]), dot([4], [4, 2]), dot([3, 4], [4, 2]),
        GradCase("batchedDot", [.random("a", [2, 3, 4]), .random("b", [2, 4, 5])]) {
            Build.batchedDot($0[0], $0[1], at: adHere)
        },
        GradCase("outer", [.random("a", [3]), .random("b", [4])]) { Build.outer($0[0], $0[1], at: adHere) },
        GradCase("mlp layer", [.random("x", [5, 4]), .random("W", [4, 3]), .random("b", [3])]) {
            adUnary(.tanh, adBinary(.add, Build.dot($0[0], $0[1], at: adHere), $0[2]))
        },
    ]
}

enum NNGradCases {
    static let rows: [GradCase] = [
        GradCase("softmax axis 1", [.random("x", [3, 4])]) { Build.softmax($0[0], axis: 1, at: adHere) },
        GradCase("softmax axis 0", [.random("x", [3, 4])]) { Build.softmax($0[0], axis: 0, at: adHere) },
        GradCase("logSoftmax axis -1", [.random("x", [2, 3, 4])]) { Build.logSoftmax($0[0], axis: -1, at: adHere) },
        GradCase("logSoftmax axis 0", [.random("x", [3, 4])]) { Build.logSoftmax($0[0], axis: 0, at: adHere) },
        GradCase("categoricalCrossentropy", [.random("x", [3, 4]), .ints("y", [3], [2, 0, 3])]) {
            Build.categoricalCrossentropy(Build.softmax($0[0], axis: 1, at: adHere), $0[1], at: adHere)
        },
        GradCase("binaryCrossentropy", [.random("p", [2, 3], 0.2...0.8), .random("t", [2, 3], 0...1)]) {
            Build.binaryCrossentropy($0[0], $0[1], at: adHere)
        },
        GradCase("alloc", [.random("v", [])]) {
            adBinary(.mul, Build.alloc($0[0], dims: [adI64(2), adI64(3)], at: adHere), $0[0])
        },
    ]
}

@Suite struct AutodiffStructuralTests {
    @Test(arguments: ReduceGradCases.rows)
    func reduceGradient(_ row: GradCase) throws {
        try adCheckGradients(row.args, row.build)
    }

    @Test(arguments: LinalgGradCases.rows)
    func linalgGradient(_ row: GradCase) throws {
        try adCheckGradients(row.args, row.build)
    }

    @Test(arguments: NNGradCases.rows)
    func nnGradient(_ row: GradCase) throws {
        try adCheckGradients(row.args, row.build)
    }
}
