import GraphIR
import Testing
import TensorRuntime

/// Gradient-vs-central-difference rows for shape and indexing ops.
enum ShapeGradCases {
    static let m = GradArg.random("x", [4, 3])

    static let rows: [GradCase] = [
        GradCase("reshape", [.random("x", [2, 6])]) { Build.reshape($0[0], [3, -1], at: adHere) },
        GradCase("flatten", [.random("x", [2, 3, 2])]) { Build.flatten($0[0], outdim: 1, at: adHere) },
        GradCase("transpose", [.random("x", [2, 3, 4])]) { Build.transpose($0[0], axes: [1, 2, 0], at: adHere) },
        GradCase("dimshuffle drop and add", [.random("x", [2, 1, 3])]) {
            Build.dimshuffle($0[0], [2, nil, 0], at: adHere)
        },
        GradCase("concatenate axis 1", [.random("a", [2, 2]), .random("b", [2, 3]), .random("c", [2, 1])]) {
            Build.concatenate([$0[0], $0[1], $0[2]], axis: 1, at: adHere)
        },
        GradCase("concatenate axis 0", [.random("a", [1, 3]), .random("b", [2, 3])]) {
            Build.concatenate([$0[0], $0[1]], axis: 0, at: adHere)
        },
        GradCase("stack", [.random("a", [3]), .random("b", [3])]) { Build.stack([$0[0], $0[1]], axis: 1, at: adHere) },
        GradCase("slice range and index", [.random("x", [5, 4])]) {
            Build.slice($0[0], [.range(start: 1, stop: 4, step: 1), .index(2)], at: adHere)
        },
        GradCase("slice step and negative", [.random("x", [5, 4])]) {
            let specs: [SliceSpec] = [.range(start: nil, stop: nil, step: 2), .range(start: -3, stop: -1, step: 1)]
            return Build.slice($0[0], specs, at: adHere)
        },
        GradCase("advancedIndex repeated", [m, .ints("i", [4], [0, 2, 2, -1])]) {
            Build.advancedIndex($0[0], [$0[1]], at: adHere)
        },
        GradCase("advancedIndex two axes", [m, .ints("i", [3], [0, 3, 0]), .ints("j", [3], [1, 2, 1])]) {
            Build.advancedIndex($0[0], [$0[1], $0[2]], at: adHere)
        },
        GradCase("setSlice set", [m, .random("v", [2, 3])]) {
            let region = Build.slice($0[0], [.range(start: 1, stop: 3, step: 1)], at: adHere)
            return Build.setSubtensor(region, $0[1], accumulate: false, at: adHere)
        },
        GradCase("setSlice inc", [m, .random("v", [4])]) {
            let region = Build.slice($0[0], [.all, .index(1)], at: adHere)
            return Build.setSubtensor(region, $0[1], accumulate: true, at: adHere)
        },
        GradCase("setAdvancedIndex set", [m, .random("v", [2, 3]), .ints("i", [2], [3, 1])]) {
            let region = Build.advancedIndex($0[0], [$0[2]], at: adHere)
            return Build.setSubtensor(region, $0[1], accumulate: false, at: adHere)
        },
        GradCase("setAdvancedIndex inc repeated", [m, .random("v", [3, 3]), .ints("i", [3], [0, 2, 0])]) {
            let region = Build.advancedIndex($0[0], [$0[2]], at: adHere)
            return Build.setSubtensor(region, $0[1], accumulate: true, at: adHere)
        },
    ]
}

@Suite struct AutodiffShapeTests {
    @Test(arguments: ShapeGradCases.rows)
    func shapeGradient(_ row: GradCase) throws {
        try adCheckGradients(row.args, row.build)
    }

    /// Concatenating pieces with symbolic extents uses the arange/advancedIndex path.
    @Test func concatenateSymbolicPieces() throws {
        let args: [GradArg] = [
            GradArg("a", try Tensor(shape: [2, 2], values: [1, 2, 3, 4], dtype: .float64), shape: [2, nil]),
            GradArg("b", try Tensor(shape: [2, 3], values: [5, 6, 7, 8, 9, 10], dtype: .float64), shape: [2, nil]),
            GradArg("c", try Tensor(shape: [2, 1], values: [-1, -2], dtype: .float64), shape: [2, nil]),
        ]
        try adCheckGradients(args) { adUnary(.tanh, Build.concatenate([$0[0], $0[1], $0[2]], axis: 1, at: adHere)) }
    }

    /// A symbolic piece next to constant ones is sliced with bounds counted from the end.
    @Test func concatenateSymbolicAndConstantPieces() throws {
        let args: [GradArg] = [
            GradArg("a", try Tensor(shape: [2], values: [1, 2], dtype: .float64)),
            GradArg("b", try Tensor(shape: [3], values: [3, 4, 5], dtype: .float64), shape: [nil]),
            GradArg("c", try Tensor(shape: [1], values: [6], dtype: .float64)),
        ]
        try adCheckGradients(args) { adUnary(.tanh, Build.concatenate([$0[0], $0[1], $0[2]], axis: 0, at: adHere)) }
    }

    /// Inputs whose symbolic extents were unified by an op get gradients of their own type.
    @Test func gradientTypesKeepTheInputsSymbols() throws {
        let args: [GradArg] = [
            GradArg("u", try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6], dtype: .float64), shape: [nil, 3]),
            GradArg("v", try Tensor(shape: [2, 3], values: [0, -1, 2, 1, 0.5, 3], dtype: .float64), shape: [nil, 3]),
        ]
        try adCheckGradients(args) { adBinary(.mul, adBinary(.add, $0[0], $0[1]), $0[1]) }
    }
}
