import Foundation
import Testing
import TensorRuntime
@testable import GraphIR

/// `arange` on constant start/stop/step with a fresh length symbol (bound at run time).
private func arange(_ dtype: DType, _ start: Double, _ stop: Double, _ step: Double) -> OpCase.Operands {
    (.arange(dtype, length: IT.sym("len")), [IT.s(start, dtype), IT.s(stop, dtype), IT.s(step, dtype)])
}

extension OpCase {
    typealias Operands = (op: Op, operands: [Tensor])

    init(_ name: String, _ application: Operands, _ expected: Tensor, tolerance: Double = 0) {
        self.init(name, application.op, application.operands, expected, tolerance: tolerance)
    }
}

private let constructCases: [OpCase] = [
    OpCase("arange f64", arange(.float64, 0, 1, 0.25), IT.vec([0, 0.25, 0.5, 0.75])),
    OpCase("arange f64 partial step", arange(.float64, 0, 1, 0.3), IT.vec([0, 0.3, 0.6, 0.8999999999999999])),
    OpCase("arange f32", arange(.float32, 1, 2, 0.5), IT.vec([1, 1.5], .float32)),
    OpCase("arange i64 down", arange(.int64, 5, 1, -1), IT.vec([5, 4, 3, 2], .int64)),
    OpCase("arange i64 empty", arange(.int64, 3, 3, 1), IT.vec([], .int64)),
    OpCase("arange i64 wrong way", arange(.int64, 1, 0, 1), IT.vec([], .int64)),
    OpCase("arange i32 ceil", arange(.int32, -5, 5, 4), IT.vec([-5, -1, 3], .int32)),
    OpCase("arange i32 ceil down", arange(.int32, 5, -5, -4), IT.vec([5, 1, -3], .int32)),
    OpCase("arange u8", arange(.uint8, 0, 10, 3), IT.vec([0, 3, 6, 9], .uint8)),
    OpCase("arange f64 to -inf", arange(.float64, 0, -.infinity, 1), IT.vec([])),
    OpCase("alloc", .alloc([2, 3]), [IT.s(2.5, .float32), IT.s(2, .int64), IT.s(3, .int64)],
           IT.t([2, 3], Array(repeating: 2.5, count: 6), .float32)),
    OpCase("alloc empty", .alloc([0, 4]), [IT.s(1, .int32), IT.s(0, .int32), IT.s(4, .int32)], IT.t([0, 4], [], .int32)),
    OpCase("alloc scalar", .alloc([]), [IT.s(7, .bool)], IT.s(1, .bool)),
    OpCase("dimension", .dimension(axis: 1), [IT.t([2, 5], Array(repeating: 0, count: 10))], IT.s(5, .int64)),
    OpCase("dimension of empty", .dimension(axis: 0), [IT.t([0], [])], IT.s(0, .int64)),
    OpCase("stopGradient", .stopGradient, [IT.vec([1, .nan], .float32)], IT.vec([1, .nan], .float32)),
]

private let constructErrorCases: [OpErrorCase] = [
    OpErrorCase("arange step 0", .arange(.int64, length: IT.sym("len")), [IT.s(0, .int64), IT.s(5, .int64),
                                                                           IT.s(0, .int64)], .runtime, ["arange", "step"]),
    OpErrorCase("arange float step 0", .arange(.float32, length: IT.sym("len")),
                [IT.s(0, .float32), IT.s(5, .float32), IT.s(0, .float32)], .runtime, ["step"]),
    OpErrorCase("arange NaN", .arange(.float64, length: IT.sym("len")), [IT.s(0), IT.s(.nan), IT.s(1)],
                .runtime, ["arange"]),
    OpErrorCase("arange +inf", .arange(.float64, length: IT.sym("len")), [IT.s(0), IT.s(.infinity), IT.s(1)],
                .runtime, ["arange"]),
    OpErrorCase("arange length differs from its type", .arange(.int64, length: 3),
                [IT.s(0, .int64), IT.s(4, .int64), IT.s(1, .int64)], .shape, ["arange", "[4]", "i64[3]"]),
    OpErrorCase("alloc negative", .alloc([IT.sym("n")]), [IT.s(1), IT.s(-1, .int64)], .runtime, ["alloc", "-1"]),
    OpErrorCase("alloc extent differs from its type", .alloc([2, 4]), [IT.s(1), IT.s(2, .int64), IT.s(3, .int64)],
                .shape, ["alloc", "[2, 3]", "f64[2,4]"]),
]

/// softmax rows of [[1, 2, 3], [0, 0, 0]] from float64 references.
private let softmaxRow: [Double] = [0.09003057317038046, 0.24472847105479767, 0.6652409557748219]
private let logSoftmaxRow: [Double] = [-2.4076059644443806, -1.4076059644443804, -0.4076059644443803]

private let nnCases: [OpCase] = [
    OpCase("softmax axis 1", .softmax(axis: 1), [IT.t([2, 3], [1, 2, 3, 0, 0, 0])],
           IT.t([2, 3], softmaxRow + [1.0 / 3, 1.0 / 3, 1.0 / 3]), tolerance: 1e-15),
    OpCase("softmax axis 0", .softmax(axis: 0), [IT.t([3, 2], [1, 0, 2, 0, 3, 0])],
           IT.t([3, 2], [softmaxRow[0], 1.0 / 3, softmaxRow[1], 1.0 / 3, softmaxRow[2], 1.0 / 3]), tolerance: 1e-15),
    OpCase("softmax f32", .softmax(axis: 0), [IT.vec([1, 2, 3], .float32)],
           IT.vec(softmaxRow.map { Double(Float($0)) }, .float32)),
    OpCase("softmax large logits", .softmax(axis: 0), [IT.vec([1000, 1000, -.infinity])], IT.vec([0.5, 0.5, 0])),
    OpCase("softmax huge f32", .softmax(axis: 0), [IT.vec([1e30, 0], .float32)], IT.vec([1, 0], .float32)),
    OpCase("softmax NaN", .softmax(axis: 0), [IT.vec([1, .nan])], IT.vec([.nan, .nan])),
    OpCase("softmax empty rows", .softmax(axis: 1), [IT.t([0, 3], [])], IT.t([0, 3], [])),
    OpCase("softmax empty axis", .softmax(axis: 1), [IT.t([2, 0], [])], IT.t([2, 0], [])),
    OpCase("logSoftmax", .logSoftmax(axis: 1), [IT.t([1, 3], [1, 2, 3])], IT.t([1, 3], logSoftmaxRow),
           tolerance: 1e-15),
    OpCase("logSoftmax large logits", .logSoftmax(axis: 0), [IT.vec([1000, 0])], IT.vec([0, -1000])),
    OpCase("logSoftmax -inf", .logSoftmax(axis: 0), [IT.vec([0, -.infinity])], IT.vec([0, -.infinity])),
    OpCase("logSoftmax f32", .logSoftmax(axis: 0), [IT.vec([-200, 200], .float32)], IT.vec([-400, 0], .float32)),
]

@Suite struct InterpreterConstructTests {
    @Test(arguments: constructCases) func construct(_ c: OpCase) throws { try c.check() }
    @Test(arguments: constructErrorCases) func errors(_ c: OpErrorCase) { c.check() }
    @Test(arguments: nnCases) func nn(_ c: OpCase) throws { try c.check() }

    @Test func constantEvaluatesToItsTensor() throws {
        let value = IT.t([2], [3, 4], .int32)
        var bindings: [DimSymbol: Int] = [:]
        #expect(try evaluate(IT.const(value), [], bindings: &bindings) == value)
    }

    @Test func nodeWithRecordedErrorThrowsIt() throws {
        let failed = Node.failed(GraphError(.argument, op: "custom", "bad"), at: IT.loc)
        var bindings: [DimSymbol: Int] = [:]
        IT.expectError(.argument, ["custom", "bad"]) { _ = try evaluate(failed, [], bindings: &bindings) }
    }

    @Test func arangeBindsItsLengthSymbol() throws {
        let len = IT.sym("len")
        let stop = IT.input("stop", .int64, [])
        let r = try IT.node(.arange(.int64, length: len), [IT.const(IT.s(0, .int64)), stop, IT.const(IT.s(2, .int64))])
        let node = try IT.node(.alloc([len]), [IT.const(IT.s(1.5)), try IT.node(.dimension(axis: 0), [r])])
        let out = try IT.run([stop], [r, node], [IT.s(7, .int64)])
        #expect(out[0] == IT.vec([0, 2, 4, 6], .int64))
        #expect(out[1] == IT.vec([1.5, 1.5, 1.5, 1.5]))
    }

    @Test func allocChecksSymbolicDims() throws {
        let n = IT.sym("n")
        let x = IT.input("x", .float32, [n])
        let k = IT.input("k", .int64, [])
        let filled = try IT.node(.alloc([n]), [IT.const(IT.s(0, .float32)), k])
        let both = try IT.node(.elementwise(.add), [x, filled])
        #expect(try IT.run([x, k], [both], [IT.vec([1, 2], .float32), IT.s(2, .int64)])[0] == IT.vec([1, 2], .float32))
        IT.expectError(.shape, ["alloc", "[3]", "n"]) {
            _ = try IT.run([x, k], [both], [IT.vec([1, 2], .float32), IT.s(3, .int64)])
        }
    }
}
