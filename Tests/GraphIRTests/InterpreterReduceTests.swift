import Testing
import TensorRuntime
@testable import GraphIR

/// [[1, 2, 3], [4, 5, 6]].
private let m23 = IT.t([2, 3], [1, 2, 3, 4, 5, 6])

private let reduceCases: [OpCase] = [
    OpCase("sum axis 0", .reduce(.sum, axes: [0], keepDims: false), [m23], IT.vec([5, 7, 9])),
    OpCase("sum axis 1", .reduce(.sum, axes: [1], keepDims: false), [m23], IT.vec([6, 15])),
    OpCase("sum all", .reduce(.sum, axes: [0, 1], keepDims: false), [m23], IT.s(21)),
    OpCase("sum keepDims", .reduce(.sum, axes: [1], keepDims: true), [m23], IT.t([2, 1], [6, 15])),
    OpCase("sum no axes", .reduce(.sum, axes: [], keepDims: false), [m23], m23),
    OpCase("sum middle axis", .reduce(.sum, axes: [1], keepDims: false),
           [IT.t([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8])], IT.t([2, 2], [4, 6, 12, 14])),
    OpCase("sum outer axes", .reduce(.sum, axes: [0, 2], keepDims: true),
           [IT.t([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8])], IT.t([1, 2, 1], [14, 22])),
    OpCase("prod axis 1", .reduce(.prod, axes: [1], keepDims: false), [m23], IT.vec([6, 120])),
    OpCase("mean axis 0", .reduce(.mean, axes: [0], keepDims: false), [m23], IT.vec([2.5, 3.5, 4.5])),
    OpCase("max axis 1", .reduce(.max, axes: [1], keepDims: false), [m23], IT.vec([3, 6])),
    OpCase("min axis 0", .reduce(.min, axes: [0], keepDims: false), [m23], IT.vec([1, 2, 3])),
    OpCase("max NaN", .reduce(.max, axes: [0], keepDims: false), [IT.vec([1, .nan, 3])], IT.s(.nan)),
    OpCase("min NaN first", .reduce(.min, axes: [0], keepDims: false), [IT.vec([.nan, 1, 3])], IT.s(.nan)),
    OpCase("max -inf", .reduce(.max, axes: [0], keepDims: false), [IT.vec([-.infinity, -.infinity])],
           IT.s(-.infinity)),
    OpCase("sum NaN", .reduce(.sum, axes: [0], keepDims: false), [IT.vec([1, .nan])], IT.s(.nan)),
    OpCase("sum inf-inf", .reduce(.sum, axes: [0], keepDims: false), [IT.vec([.infinity, -.infinity])], IT.s(.nan)),
    // float32 accumulates in Double: a float32 running sum would give 0.
    OpCase("sum f32 in double", .reduce(.sum, axes: [0], keepDims: false), [IT.vec([1e8, 1, -1e8], .float32)],
           IT.s(1, .float32)),
    OpCase("mean f32", .reduce(.mean, axes: [1], keepDims: false), [IT.t([2, 2], [1, 2, 3, 5], .float32)],
           IT.vec([1.5, 4], .float32)),
    OpCase("max f32", .reduce(.max, axes: [0], keepDims: false), [IT.t([2, 2], [1, .nan, 3, 5], .float32)],
           IT.vec([3, .nan], .float32)),
    // Empty reductions.
    OpCase("sum empty", .reduce(.sum, axes: [0], keepDims: false), [IT.t([0, 3], [])], IT.vec([0, 0, 0])),
    OpCase("prod empty", .reduce(.prod, axes: [0], keepDims: false), [IT.t([0, 3], [])], IT.vec([1, 1, 1])),
    OpCase("mean empty", .reduce(.mean, axes: [0], keepDims: false), [IT.t([0, 2], [])], IT.vec([.nan, .nan])),
    OpCase("sum of nothing", .reduce(.sum, axes: [0], keepDims: false), [IT.t([2, 0], [])], IT.t([0], [])),
    OpCase("max over nonempty axis of empty", .reduce(.max, axes: [0], keepDims: false), [IT.t([2, 0], [])],
           IT.t([0], [])),
    OpCase("sum i32 → i64", .reduce(.sum, axes: [0], keepDims: false), [IT.vec([2147483647, 1], .int32)],
           IT.s(2147483648, .int64)),
    OpCase("sum bool counts", .reduce(.sum, axes: [0], keepDims: false), [IT.vec([1, 0, 1, 1], .bool)],
           IT.s(3, .int64)),
    OpCase("sum u8 → i64", .reduce(.sum, axes: [0], keepDims: false), [IT.vec([200, 100], .uint8)], IT.s(300, .int64)),
    OpCase("prod i64 wraps", .reduce(.prod, axes: [0], keepDims: false),
           [IT.vec([4294967296, 4294967296, 3], .int64)], IT.s(0, .int64)),
    OpCase("mean u8 → f32", .reduce(.mean, axes: [0], keepDims: false), [IT.vec([1, 2], .uint8)], IT.s(1.5, .float32)),
    OpCase("mean i64 → f32", .reduce(.mean, axes: [1], keepDims: false), [IT.t([1, 3], [1, 2, 4], .int64)],
           IT.vec([7.0 / 3.0], .float32), tolerance: 1e-7),
    OpCase("max i32 keeps dtype", .reduce(.max, axes: [0], keepDims: false), [IT.vec([-7, -2, -9], .int32)],
           IT.s(-2, .int32)),
    OpCase("min u8", .reduce(.min, axes: [1], keepDims: true), [IT.t([2, 2], [9, 3, 0, 255], .uint8)],
           IT.t([2, 1], [3, 0], .uint8)),
]

private let argCases: [OpCase] = [
    OpCase("argmax axis 1 ties and NaN", .argmax(axis: 1, keepDims: false),
           [IT.t([2, 3], [1, 3, 3, .nan, 2, .nan])], IT.vec([1, 0], .int64)),
    OpCase("argmin axis 1", .argmin(axis: 1, keepDims: false),
           [IT.t([2, 3], [1, 3, 1, 5, .nan, 2])], IT.vec([0, 1], .int64)),
    OpCase("argmax axis 0", .argmax(axis: 0, keepDims: false),
           [IT.t([2, 3], [1, 3, 3, .nan, 2, .nan])], IT.vec([1, 0, 1], .int64)),
    OpCase("argmax keepDims", .argmax(axis: 1, keepDims: true),
           [IT.t([2, 2], [1, 2, 4, 3], .float32)], IT.t([2, 1], [1, 0], .int64)),
    OpCase("argmax -inf", .argmax(axis: 0, keepDims: false), [IT.vec([-.infinity, -.infinity])], IT.s(0, .int64)),
    OpCase("argmin i32", .argmin(axis: 1, keepDims: false), [IT.t([1, 3], [5, -1, -1], .int32)], IT.vec([1], .int64)),
    OpCase("argmax u8", .argmax(axis: 0, keepDims: false), [IT.vec([5, 255, 255], .uint8)], IT.s(1, .int64)),
    OpCase("argmax bool", .argmax(axis: 0, keepDims: false), [IT.vec([0, 1, 1], .bool)], IT.s(1, .int64)),
    OpCase("argmax middle axis", .argmax(axis: 1, keepDims: false),
           [IT.t([2, 2, 2], [1, 9, 2, 0, 5, 5, 7, 6])], IT.t([2, 2], [1, 0, 1, 1], .int64)),
    OpCase("argmax empty outer", .argmax(axis: 1, keepDims: false), [IT.t([0, 3], [])], IT.t([0], [], .int64)),
]

private let reduceErrorCases: [OpErrorCase] = [
    OpErrorCase("max of empty axis", .reduce(.max, axes: [0], keepDims: false), [IT.t([0, 3], [])],
                .runtime, ["max", "zero-size reduction", "[0, 3]"]),
    OpErrorCase("min of empty", .reduce(.min, axes: [0, 1], keepDims: false), [IT.t([2, 0], [], .int32)],
                .runtime, ["min", "zero-size reduction"]),
    OpErrorCase("argmax of empty axis", .argmax(axis: 1, keepDims: false), [IT.t([2, 0], [])],
                .runtime, ["argmax", "zero-size"]),
    OpErrorCase("argmin of empty axis", .argmin(axis: 0, keepDims: false), [IT.t([0], [], .int64)],
                .runtime, ["argmin", "zero-size"]),
]

@Suite struct InterpreterReduceTests {
    @Test(arguments: reduceCases) func reduce(_ c: OpCase) throws { try c.check() }
    @Test(arguments: argCases) func argExtreme(_ c: OpCase) throws { try c.check() }
    @Test(arguments: reduceErrorCases) func errors(_ c: OpErrorCase) { c.check() }

    @Test func float32SumMatchesFloat64Reference() throws {
        let values = (0..<1000).map { Double(Float(Double($0) * 0.001 - 0.3)) }
        let result = try IT.eval(.reduce(.sum, axes: [0], keepDims: false), [IT.vec(values, .float32)])
        #expect(result.scalar == Double(Float(values.reduce(0, +))))
    }

    @Test func reductionOverSymbolicBatch() throws {
        let n = IT.sym("n")
        let x = IT.input("x", .float32, [n, 2])
        let mean = try IT.node(.reduce(.mean, axes: [0, 1], keepDims: false), [x])
        let rows = try IT.node(.reduce(.sum, axes: [1], keepDims: false), [x])
        let out = try IT.run([x], [mean, rows], [IT.t([3, 2], [1, 2, 3, 4, 5, 9], .float32)])
        #expect(out[0] == IT.s(4, .float32))
        #expect(out[1] == IT.vec([3, 7, 14], .float32))
        let empty = try IT.run([x], [mean, rows], [IT.t([0, 2], [], .float32)])
        #expect(empty[0].scalar.isNaN && empty[1].shape == [0])
    }
}
