import Testing
import TensorRuntime
@testable import GraphIR

/// Fixed symbols for type-rule tables (negative ids never collide with fresh ones).
let symN = Dim.symbol(DimSymbol(id: -1, hint: "n"))
let symM = Dim.symbol(DimSymbol(id: -2, hint: "m"))

/// A tensor type, for short tables.
func tt(_ dtype: DType, _ shape: [Dim]) -> TensorType { TensorType(dtype, shape) }

/// One valid application of a type rule and its result.
struct ValidRow: Sendable, CustomStringConvertible {
    let op: Op, inputs: [TensorType], result: TensorType
    init(_ op: Op, _ inputs: [TensorType], _ result: TensorType) { (self.op, self.inputs, self.result) = (op, inputs, result) }
    var description: String { "\(op.name)(\(inputs.map(\.description).joined(separator: ", ")))" }
}

/// One invalid application: the error kind and text the message must contain.
struct InvalidRow: Sendable, CustomStringConvertible {
    let op: Op, inputs: [TensorType], kind: GraphError.Kind, mentions: [String]
    init(_ op: Op, _ inputs: [TensorType], _ kind: GraphError.Kind, _ mentions: [String] = []) {
        (self.op, self.inputs, self.kind, self.mentions) = (op, inputs, kind, mentions)
    }
    var description: String { "\(op.name)(\(inputs.map(\.description).joined(separator: ", ")))" }
}

/// Checks a valid row: the rule gives the expected type.
func checkValid(_ row: ValidRow) throws {
    #expect(try inferType(row.op, row.inputs) == row.result)
}

/// Checks an invalid row: the rule throws the expected kind, names the op and the mentions.
func checkInvalid(_ row: InvalidRow) {
    do {
        let type = try inferType(row.op, row.inputs)
        Issue.record("expected a \(row.kind) error, got \(type)")
    } catch {
        #expect(error.kind == row.kind)
        #expect(error.op == row.op.name)
        #expect(error.location == nil)
        for text in row.mentions { #expect(error.message.contains(text), "\(error.message) lacks \(text)") }
    }
}

@Suite struct ElementwiseTypeRuleTests {
    static let valid: [ValidRow] = [
        ValidRow(.elementwise(.add), [tt(.float32, [3, 4]), tt(.float32, [3, 4])], tt(.float32, [3, 4])),
        ValidRow(.elementwise(.add), [tt(.float32, [symN, 4]), tt(.float32, [5, 4])], tt(.float32, [5, 4])),
        ValidRow(.elementwise(.sub), [tt(.float32, [symN]), tt(.float32, [symM])], tt(.float32, [symN])),
        ValidRow(.elementwise(.mul), [tt(.int32, [2]), tt(.int32, [2])], tt(.int32, [2])),
        ValidRow(.elementwise(.div), [tt(.float64, []), tt(.float64, [])], tt(.float64, [])),
        ValidRow(.elementwise(.neg), [tt(.int64, [symN])], tt(.int64, [symN])),
        ValidRow(.elementwise(.exp), [tt(.float32, [symN])], tt(.float32, [symN])),
        ValidRow(.elementwise(.lt), [tt(.int32, [2]), tt(.int32, [2])], tt(.bool, [2])),
        ValidRow(.elementwise(.eq), [tt(.bool, [2]), tt(.bool, [2])], tt(.bool, [2])),
        ValidRow(.elementwise(.logicalAnd), [tt(.bool, [2]), tt(.bool, [2])], tt(.bool, [2])),
        ValidRow(.elementwise(.logicalNot), [tt(.bool, [])], tt(.bool, [])),
        ValidRow(.elementwise(.select), [tt(.bool, [2]), tt(.float32, [2]), tt(.float32, [2])], tt(.float32, [2])),
        ValidRow(.elementwise(.clip), [tt(.int64, [3]), tt(.int64, [3]), tt(.int64, [3])], tt(.int64, [3])),
        ValidRow(.elementwise(.cast(.float64)), [tt(.int32, [3])], tt(.float64, [3])),
        ValidRow(.broadcast([symN, 3]), [tt(.float32, [3])], tt(.float32, [symN, 3])),
        ValidRow(.broadcast([4, 3]), [tt(.float32, [1, 3])], tt(.float32, [4, 3])),
        ValidRow(.broadcast([4, 3]), [tt(.float32, [symN, 3])], tt(.float32, [4, 3])),
    ]

    static let invalid: [InvalidRow] = [
        InvalidRow(.elementwise(.add), [tt(.float32, [3]), tt(.float32, [4])], .shape, ["f32[3]", "f32[4]", "3 != 4"]),
        InvalidRow(.elementwise(.add), [tt(.float32, [3]), tt(.float32, [1, 3])], .shape, ["f32[3]", "f32[1,3]"]),
        InvalidRow(.elementwise(.add), [tt(.float32, [symN + 1]), tt(.float32, [symN])], .shape, ["(?n+1) != ?n"]),
        InvalidRow(.elementwise(.add), [tt(.float32, [3]), tt(.int32, [3])], .dtype, ["f32[3]", "i32[3]"]),
        InvalidRow(.elementwise(.add), [tt(.bool, [3]), tt(.bool, [3])], .dtype, ["bool"]),
        InvalidRow(.elementwise(.div), [tt(.int32, [3]), tt(.int32, [3])], .dtype, ["float", "i32[3]"]),
        InvalidRow(.elementwise(.exp), [tt(.int32, [3])], .dtype, ["i32[3]"]),
        InvalidRow(.elementwise(.logicalOr), [tt(.float32, []), tt(.float32, [])], .dtype, ["bool"]),
        InvalidRow(.elementwise(.select), [tt(.float32, [2]), tt(.float32, [2]), tt(.float32, [2])], .dtype, ["condition"]),
        InvalidRow(.elementwise(.select), [tt(.bool, [2]), tt(.float32, [2]), tt(.int32, [2])], .dtype, ["i32[2]"]),
        InvalidRow(.elementwise(.add), [tt(.float32, []), tt(.float32, []), tt(.float32, [])], .argument, ["2 operands"]),
        InvalidRow(.broadcast([4, 3]), [tt(.float32, [2, 3])], .shape, ["f32[2,3]", "f32[4,3]", "2 != 4"]),
        InvalidRow(.broadcast([3]), [tt(.float32, [2, 3])], .shape, ["rank"]),
        InvalidRow(.broadcast([-1]), [tt(.float32, [])], .argument, ["negative"]),
    ]

    @Test(arguments: valid) func validTypes(row: ValidRow) throws { try checkValid(row) }
    @Test(arguments: invalid) func invalidTypes(row: InvalidRow) { checkInvalid(row) }
}

@Suite struct ReduceAndLinalgTypeRuleTests {
    static let valid: [ValidRow] = [
        ValidRow(.reduce(.sum, axes: [1], keepDims: false), [tt(.float32, [2, 3])], tt(.float32, [2])),
        ValidRow(.reduce(.sum, axes: [1], keepDims: true), [tt(.float32, [2, 3])], tt(.float32, [2, 1])),
        ValidRow(.reduce(.sum, axes: [0, 1], keepDims: false), [tt(.int32, [symN, 3])], tt(.int64, [])),
        ValidRow(.reduce(.sum, axes: [0], keepDims: false), [tt(.bool, [symN])], tt(.int64, [])),
        ValidRow(.reduce(.prod, axes: [0], keepDims: false), [tt(.uint8, [4])], tt(.int64, [])),
        ValidRow(.reduce(.sum, axes: [0], keepDims: false), [tt(.float64, [4])], tt(.float64, [])),
        ValidRow(.reduce(.max, axes: [0], keepDims: false), [tt(.int32, [4, symN])], tt(.int32, [symN])),
        ValidRow(.reduce(.mean, axes: [1], keepDims: false), [tt(.int32, [4, symN])], tt(.float32, [4])),
        ValidRow(.reduce(.mean, axes: [], keepDims: false), [tt(.float64, [4])], tt(.float64, [4])),
        ValidRow(.argmax(axis: 1, keepDims: false), [tt(.float32, [symN, 10])], tt(.int64, [symN])),
        ValidRow(.argmin(axis: 0, keepDims: true), [tt(.float32, [symN, 10])], tt(.int64, [1, 10])),
        ValidRow(.dot, [tt(.float32, [3, 4]), tt(.float32, [4, 5])], tt(.float32, [3, 5])),
        ValidRow(.dot, [tt(.float32, [4]), tt(.float32, [4])], tt(.float32, [])),
        ValidRow(.dot, [tt(.float32, [3, 4]), tt(.float32, [4])], tt(.float32, [3])),
        ValidRow(.dot, [tt(.int64, [4]), tt(.int64, [4, 5])], tt(.int64, [5])),
        ValidRow(.dot, [tt(.float32, [symN, 784]), tt(.float32, [784, 10])], tt(.float32, [symN, 10])),
        ValidRow(.dot, [tt(.float32, [2, symN]), tt(.float32, [symM, 3])], tt(.float32, [2, 3])),
        ValidRow(.batchedDot, [tt(.float32, [symN, 3, 4]), tt(.float32, [symN, 4, 5])], tt(.float32, [symN, 3, 5])),
        ValidRow(.batchedDot, [tt(.float32, [symN, 3, 4]), tt(.float32, [7, 4, 5])], tt(.float32, [7, 3, 5])),
    ]

    static let invalid: [InvalidRow] = [
        InvalidRow(.reduce(.sum, axes: [1, 0], keepDims: false), [tt(.float32, [2, 3])], .argument, ["sorted"]),
        InvalidRow(.reduce(.sum, axes: [0, 0], keepDims: false), [tt(.float32, [2, 3])], .argument, ["distinct"]),
        InvalidRow(.reduce(.min, axes: [2], keepDims: false), [tt(.float32, [2, 3])], .argument, ["axis 2", "f32[2,3]"]),
        InvalidRow(.reduce(.min, axes: [-1], keepDims: false), [tt(.float32, [2, 3])], .argument, ["axis -1"]),
        InvalidRow(.argmax(axis: 2, keepDims: false), [tt(.float32, [2, 3])], .argument, ["axis 2"]),
        InvalidRow(.argmax(axis: 0, keepDims: false), [tt(.float32, [])], .argument, ["rank 0"]),
        InvalidRow(.dot, [tt(.float32, [3, 4]), tt(.float32, [5, 2])], .shape,
                   ["shapes f32[3,4] and f32[5,2] do not align: 4 != 5"]),
        InvalidRow(.dot, [tt(.float32, [3]), tt(.int32, [3])], .dtype, ["f32[3]", "i32[3]"]),
        InvalidRow(.dot, [tt(.bool, [3]), tt(.bool, [3])], .dtype, ["bool"]),
        InvalidRow(.dot, [tt(.float32, [2, 3, 4]), tt(.float32, [4])], .shape, ["f32[2,3,4]"]),
        InvalidRow(.dot, [tt(.float32, []), tt(.float32, [4])], .shape, ["f32[]"]),
        InvalidRow(.batchedDot, [tt(.float32, [2, 3, 4]), tt(.float32, [3, 4, 5])], .shape, ["batch", "2 != 3"]),
        InvalidRow(.batchedDot, [tt(.float32, [2, 3, 4]), tt(.float32, [2, 5, 5])], .shape, ["4 != 5"]),
        InvalidRow(.batchedDot, [tt(.float32, [3, 4]), tt(.float32, [4, 5])], .shape, ["rank-3"]),
        InvalidRow(.dot, [tt(.float32, [3, 4])], .argument, ["2 operands"]),
    ]

    @Test(arguments: valid) func validTypes(row: ValidRow) throws { try checkValid(row) }
    @Test(arguments: invalid) func invalidTypes(row: InvalidRow) { checkInvalid(row) }
}
