import Testing
import TensorRuntime
@testable import GraphIR

/// A location tests pass to builders, to check errors carry it.
let here = SourceLocation(fileID: "GraphIRTests/BuildTests.swift", line: 42)

/// A symbolic input built at `here`.
func input(_ name: String, _ dtype: DType, _ shape: [Int?]) -> Node {
    Build.input(name, dtype: dtype, shape: shape, at: here)
}

/// A float32 symbolic input built at `here`.
func input(_ name: String, _ shape: [Int?]) -> Node { input(name, .float32, shape) }

/// Every op in the subgraph of `node`.
func ops(_ node: Node) -> [Op] { topologicalOrder([node]).map(\.op) }

@Suite struct BuildBroadcastTests {
    @Test func matrixPlusVectorBroadcastsTheVector() throws {
        let x = input("x", [nil, 10]), b = input("b", [10])
        let sum = Build.binary(.add, x, b, at: here)
        try sum.check()
        #expect(sum.type == x.type)
        #expect(sum.op == .elementwise(.add))
        #expect(sum.inputs[0] === x)
        #expect(sum.inputs[1].op == .broadcast(x.type.shape))
        #expect(sum.inputs[1].inputs[0] === b)
    }

    @Test func int32PlusFloat32CastsTheIntegerOperand() throws {
        let i = input("i", .int32, [3]), f = input("f", .float32, [3])
        let sum = Build.binary(.add, i, f, at: here)
        try sum.check()
        #expect(sum.type == TensorType(.float32, [3]))
        #expect(sum.inputs[0].op == .elementwise(.cast(.float32)))
        #expect(sum.inputs[0].inputs[0] === i)
        #expect(sum.inputs[1] === f)
    }

    @Test func scalarConstantTimesMatrix() throws {
        let x = input("x", [nil, 10])
        let c = Build.scalar(0.5, dtype: .float64, at: here)
        let product = Build.binary(.mul, c, x, at: here)
        try product.check()
        // float64 wins the promotion; the scalar is broadcast to the matrix shape.
        #expect(product.type == TensorType(.float64, x.type.shape))
        #expect(product.inputs[0].op == .broadcast(x.type.shape))
        #expect(product.inputs[1].op == .elementwise(.cast(.float64)))
    }

    @Test func sizeOneAxesBroadcastBothWays() throws {
        let a = input("a", [4, 1]), b = input("b", [1, 3])
        let sum = Build.binary(.sub, a, b, at: here)
        try sum.check()
        #expect(sum.type.shape == [4, 3])
    }

    @Test func symbolicDimAgainstConstantTakesTheConstant() throws {
        let a = input("a", [nil]), b = input("b", [5])
        #expect(Build.binary(.add, a, b, at: here).type.shape == [5])
        #expect(Build.binary(.add, b, a, at: here).type.shape == [5])
    }

    @Test(arguments: [([2, 3], [2]), ([4, 3], [2, 3]), ([3], [1, 2])] as [([Int?], [Int?])])
    func mismatchedShapesRecordAShapeErrorNamingBoth(a: [Int?], b: [Int?]) throws {
        let x = input("x", a), y = input("y", b)
        let sum = Build.binary(.add, x, y, at: here)
        let error = try #require(sum.error)
        #expect(error.kind == .shape)
        #expect(error.op == "add")
        #expect(error.message.contains(x.type.description))
        #expect(error.message.contains(y.type.description))
        #expect(error.location == here)
        #expect(throws: GraphError.self) { try sum.check() }
    }

    @Test func laterNodesInheritTheFirstError() throws {
        let bad = Build.binary(.add, input("x", [2]), input("y", [3]), at: here)
        let later = SourceLocation(fileID: "other.swift", line: 7)
        let next = Build.unary(.exp, Build.binary(.mul, bad, input("z", [4]), at: later), at: later)
        #expect(next.error == bad.error)
        #expect(next.error?.location == here)
    }

    @Test func broadcastShapeOfDims() throws {
        let n = Dim.symbol(.fresh(hint: "n"))
        #expect(try Build.broadcastShape([n, 1], [1, 7]) == [n, 7])
        #expect(try Build.broadcastShape([], [2, 3]) == [2, 3])
        #expect(throws: GraphError.self) { try Build.broadcastShape([2], [3]) }
    }
}

@Suite struct BuildPromotionTests {
    struct Case: Sendable, CustomStringConvertible {
        let op: ScalarOp, a: DType, b: DType, operand: DType, result: DType
        var description: String { "\(op.name)(\(a), \(b))" }
    }

    static let cases: [Case] = [
        Case(op: .add, a: .bool, b: .bool, operand: .int64, result: .int64),
        Case(op: .add, a: .uint8, b: .int32, operand: .int32, result: .int32),
        Case(op: .mul, a: .int64, b: .float32, operand: .float32, result: .float32),
        Case(op: .sub, a: .float32, b: .float64, operand: .float64, result: .float64),
        Case(op: .div, a: .int32, b: .int32, operand: .float32, result: .float32),
        Case(op: .div, a: .int32, b: .float64, operand: .float64, result: .float64),
        Case(op: .lt, a: .int32, b: .float32, operand: .float32, result: .bool),
        Case(op: .eq, a: .bool, b: .bool, operand: .bool, result: .bool),
        Case(op: .logicalAnd, a: .int32, b: .float32, operand: .bool, result: .bool),
        Case(op: .maximum, a: .bool, b: .int32, operand: .int32, result: .int32),
    ]

    @Test(arguments: cases)
    func binaryPromotion(c: Case) throws {
        let node = Build.binary(c.op, input("a", c.a, [2]), input("b", c.b, [2]), at: here)
        try node.check()
        #expect(node.type.dtype == c.result)
        #expect(node.inputs.map(\.type.dtype) == [c.operand, c.operand])
    }

    @Test(arguments: [(ScalarOp.exp, DType.int32, DType.float32), (.neg, .int32, .int32), (.relu, .bool, .int64),
                      (.logicalNot, .float32, .bool), (.sqrt, .float64, .float64), (.cast(.uint8), .float32, .uint8)])
    func unaryDTypes(op: ScalarOp, input dtype: DType, result: DType) throws {
        let node = Build.unary(op, input("x", dtype, [3]), at: here)
        try node.check()
        #expect(node.type.dtype == result)
    }

    @Test func unaryRejectsABinaryOp() {
        #expect(Build.unary(.add, input("x", [3]), at: here).error?.kind == .argument)
    }

    @Test func selectCastsConditionAndPromotesBranches() throws {
        let node = Build.select(input("c", .float32, [3]), input("a", .int32, []), input("b", .float32, [3]), at: here)
        try node.check()
        #expect(node.type == TensorType(.float32, [3]))
        #expect(node.inputs.map(\.type) == [TensorType(.bool, [3]), TensorType(.float32, [3]), TensorType(.float32, [3])])
    }

    @Test func clipCastsBoundsToTheOperandDType() throws {
        let x = input("x", .float64, [nil, 3])
        let node = Build.clip(x, Build.scalar(0, dtype: .int32, at: here), Build.scalar(1, dtype: .float32, at: here), at: here)
        try node.check()
        #expect(node.type == x.type)
    }

    @Test func identitiesReturnTheInputNode() {
        let x = input("x", [nil, 3])
        #expect(Build.cast(x, to: .float32, at: here) === x)
        #expect(Build.broadcast(x, to: x.type.shape, at: here) === x)
        #expect(Build.transpose(Build.transpose(x, axes: nil, at: here), axes: [0], at: here).error?.kind == .argument)
        #expect(Build.transpose(x, axes: [0, 1], at: here) === x)
        #expect(Build.dimshuffle(x, [0, 1], at: here) === x)
        #expect(Build.reshape(x, dims: x.type.shape, at: here) === x)
    }
}
