import Testing
import TensorRuntime
@testable import GraphIR

/// Fixed symbols for type-rule tables (negative ids never collide with fresh ones).
let n = Dim.symbol(DimSymbol(id: -1, hint: "n"))
let m = Dim.symbol(DimSymbol(id: -2, hint: "m"))

/// A tensor type, for short tables.
func t(_ dtype: DType, _ shape: [Dim]) -> TensorType { TensorType(dtype, shape) }

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
        ValidRow(.elementwise(.add), [t(.float32, [3, 4]), t(.float32, [3, 4])], t(.float32, [3, 4])),
        ValidRow(.elementwise(.add), [t(.float32, [n, 4]), t(.float32, [5, 4])], t(.float32, [5, 4])),
        ValidRow(.elementwise(.sub), [t(.float32, [n]), t(.float32, [m])], t(.float32, [n])),
        ValidRow(.elementwise(.mul), [t(.int32, [2]), t(.int32, [2])], t(.int32, [2])),
        ValidRow(.elementwise(.div), [t(.float64, []), t(.float64, [])], t(.float64, [])),
        ValidRow(.elementwise(.neg), [t(.int64, [n])], t(.int64, [n])),
        ValidRow(.elementwise(.exp), [t(.float32, [n])], t(.float32, [n])),
        ValidRow(.elementwise(.lt), [t(.int32, [2]), t(.int32, [2])], t(.bool, [2])),
        ValidRow(.elementwise(.eq), [t(.bool, [2]), t(.bool, [2])], t(.bool, [2])),
        ValidRow(.elementwise(.logicalAnd), [t(.bool, [2]), t(.bool, [2])], t(.bool, [2])),
        ValidRow(.elementwise(.logicalNot), [t(.bool, [])], t(.bool, [])),
        ValidRow(.elementwise(.select), [t(.bool, [2]), t(.float32, [2]), t(.float32, [2])], t(.float32, [2])),
        ValidRow(.elementwise(.clip), [t(.int64, [3]), t(.int64, [3]), t(.int64, [3])], t(.int64, [3])),
        ValidRow(.elementwise(.cast(.float64)), [t(.int32, [3])], t(.float64, [3])),
        ValidRow(.broadcast([n, 3]), [t(.float32, [3])], t(.float32, [n, 3])),
        ValidRow(.broadcast([4, 3]), [t(.float32, [1, 3])], t(.float32, [4, 3])),
        ValidRow(.broadcast([4, 3]), [t(.float32, [n, 3])], t(.float32, [4, 3])),
    ]

    static let invalid: [InvalidRow] = [
        InvalidRow(.elementwise(.add), [t(.float32, [3]), t(.float32, [4])], .shape, ["f32[3]", "f32[4]", "3 != 4"]),
        InvalidRow(.elementwise(.add), [t(.float32, [3]), t(.float32, [1, 3])], .shape, ["f32[3]", "f32[1,3]"]),
        InvalidRow(.elementwise(.add), [t(.float32, [n + 1]), t(.float32, [n])], .shape, ["(?n+1) != ?n"]),
        InvalidRow(.elementwise(.add), [t(.float32, [3]), t(.int32, [3])], .dtype, ["f32[3]", "i32[3]"]),
        InvalidRow(.elementwise(.add), [t(.bool, [3]), t(.bool, [3])], .dtype, ["bool"]),
        InvalidRow(.elementwise(.div), [t(.int32, [3]), t(.int32, [3])], .dtype, ["float", "i32[3]"]),
        InvalidRow(.elementwise(.exp), [t(.int32, [3])], .dtype, ["i32[3]"]),
        InvalidRow(.elementwise(.logicalOr), [t(.float32, []), t(.float32, [])], .dtype, ["bool"]),
        InvalidRow(.elementwise(.select), [t(.float32, [2]), t(.float32, [2]), t(.float32, [2])], .dtype, ["condition"]),
        InvalidRow(.elementwise(.select), [t(.bool, [2]), t(.float32, [2]), t(.int32, [2])], .dtype, ["i32[2]"]),
        InvalidRow(.elementwise(.add), [t(.float32, []), t(.float32, []), t(.float32, [])], .argument, ["2 operands"]),
        InvalidRow(.broadcast([4, 3]), [t(.float32, [2, 3])], .shape, ["f32[2,3]", "f32[4,3]", "2 != 4"]),
        InvalidRow(.broadcast([3]), [t(.float32, [2, 3])], .shape, ["rank"]),
        InvalidRow(.broadcast([-1]), [t(.float32, [])], .argument, ["negative"]),
    ]

    @Test(arguments: valid) func validTypes(row: ValidRow) throws { try checkValid(row) }
    @Test(arguments: invalid) func invalidTypes(row: InvalidRow) { checkInvalid(row) }
}

@Suite struct ReduceAndLinalgTypeRuleTests {
    static let valid: [ValidRow] = [
        ValidRow(.reduce(.sum, axes: [1], keepDims: false), [t(.float32, [2, 3])], t(.float32, [2])),
        ValidRow(.reduce(.sum, axes: [1], keepDims: true), [t(.float32, [2, 3])], t(.float32, [2, 1])),
        ValidRow(.reduce(.sum, axes: [0, 1], keepDims: false), [t(.int32, [n, 3])], t(.int64, [])),
        ValidRow(.reduce(.sum, axes: [0], keepDims: false), [t(.bool, [n])], t(.int64, [])),
        ValidRow(.reduce(.prod, axes: [0], keepDims: false), [t(.uint8, [4])], t(.int64, [])),
        ValidRow(.reduce(.sum, axes: [0], keepDims: false), [t(.float64, [4])], t(.float64, [])),
        ValidRow(.reduce(.max, axes: [0], keepDims: false), [t(.int32, [4, n])], t(.int32, [n])),
        ValidRow(.reduce(.mean, axes: [1], keepDims: false), [t(.int32, [4, n])], t(.float32, [4])),
        ValidRow(.reduce(.mean, axes: [], keepDims: false), [t(.float64, [4])], t(.float64, [4])),
        ValidRow(.argmax(axis: 1, keepDims: false), [t(.float32, [n, 10])], t(.int64, [n])),
        ValidRow(.argmin(axis: 0, keepDims: true), [t(.float32, [n, 10])], t(.int64, [1, 10])),
        ValidRow(.dot, [t(.float32, [3, 4]), t(.float32, [4, 5])], t(.float32, [3, 5])),
        ValidRow(.dot, [t(.float32, [4]), t(.float32, [4])], t(.float32, [])),
        ValidRow(.dot, [t(.float32, [3, 4]), t(.float32, [4])], t(.float32, [3])),
        ValidRow(.dot, [t(.int64, [4]), t(.int64, [4, 5])], t(.int64, [5])),
        ValidRow(.dot, [t(.float32, [n, 784]), t(.float32, [784, 10])], t(.float32, [n, 10])),
        ValidRow(.dot, [t(.float32, [2, n]), t(.float32, [m, 3])], t(.float32, [2, 3])),
        ValidRow(.batchedDot, [t(.float32, [n, 3, 4]), t(.float32, [n, 4, 5])], t(.float32, [n, 3, 5])),
        ValidRow(.batchedDot, [t(.float32, [n, 3, 4]), t(.float32, [7, 4, 5])], t(.float32, [7, 3, 5])),
    ]

    static let invalid: [InvalidRow] = [
        InvalidRow(.reduce(.sum, axes: [1, 0], keepDims: false), [t(.float32, [2, 3])], .argument, ["sorted"]),
        InvalidRow(.reduce(.sum, axes: [0, 0], keepDims: false), [t(.float32, [2, 3])], .argument, ["distinct"]),
        InvalidRow(.reduce(.min, axes: [2], keepDims: false), [t(.float32, [2, 3])], .argument, ["axis 2", "f32[2,3]"]),
        InvalidRow(.reduce(.min, axes: [-1], keepDims: false), [t(.float32, [2, 3])], .argument, ["axis -1"]),
        InvalidRow(.argmax(axis: 2, keepDims: false), [t(.float32, [2, 3])], .argument, ["axis 2"]),
        InvalidRow(.argmax(axis: 0, keepDims: false), [t(.float32, [])], .argument, ["rank 0"]),
        InvalidRow(.dot, [t(.float32, [3, 4]), t(.float32, [5, 2])], .shape,
                   ["shapes f32[3,4] and f32[5,2] do not align: 4 != 5"]),
        InvalidRow(.dot, [t(.float32, [3]), t(.int32, [3])], .dtype, ["f32[3]", "i32[3]"]),
        InvalidRow(.dot, [t(.bool, [3]), t(.bool, [3])], .dtype, ["bool"]),
        InvalidRow(.dot, [t(.float32, [2, 3, 4]), t(.float32, [4])], .shape, ["f32[2,3,4]"]),
        InvalidRow(.dot, [t(.float32, []), t(.float32, [4])], .shape, ["f32[]"]),
        InvalidRow(.batchedDot, [t(.float32, [2, 3, 4]), t(.float32, [3, 4, 5])], .shape, ["batch", "2 != 3"]),
        InvalidRow(.batchedDot, [t(.float32, [2, 3, 4]), t(.float32, [2, 5, 5])], .shape, ["4 != 5"]),
        InvalidRow(.batchedDot, [t(.float32, [3, 4]), t(.float32, [4, 5])], .shape, ["rank-3"]),
        InvalidRow(.dot, [t(.float32, [3, 4])], .argument, ["2 operands"]),
    ]

    @Test(arguments: valid) func validTypes(row: ValidRow) throws { try checkValid(row) }
    @Test(arguments: invalid) func invalidTypes(row: InvalidRow) { checkInvalid(row) }
}
