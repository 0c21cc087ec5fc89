import Testing
import TensorRuntime
@testable import GraphIR

/// 0..<10 as float64.
private let ten = IT.vec((0..<10).map(Double.init))
/// [[0, 1, 2], [3, 4, 5], [6, 7, 8]].
private let m33 = IT.t([3, 3], (0..<9).map(Double.init))

private func range(_ start: Int?, _ stop: Int?, _ step: Int = 1) -> SliceSpec {
    .range(start: start, stop: stop, step: step)
}

/// Expected values from Python's `list(range(10))[slice]`.
private let sliceCases: [OpCase] = [
    OpCase("2:5", .slice([range(2, 5)]), [ten], IT.vec([2, 3, 4])),
    OpCase("::-1", .slice([range(nil, nil, -1)]), [ten], IT.vec([9, 8, 7, 6, 5, 4, 3, 2, 1, 0])),
    OpCase("-3:", .slice([range(-3, nil)]), [ten], IT.vec([7, 8, 9])),
    OpCase("8:2:-2", .slice([range(8, 2, -2)]), [ten], IT.vec([8, 6, 4])),
    OpCase(":-12", .slice([range(nil, -12)]), [ten], IT.vec([])),
    OpCase("100:", .slice([range(100, nil)]), [ten], IT.vec([])),
    OpCase("-100:3", .slice([range(-100, 3)]), [ten], IT.vec([0, 1, 2])),
    OpCase("::3", .slice([range(nil, nil, 3)]), [ten], IT.vec([0, 3, 6, 9])),
    OpCase("5:1", .slice([range(5, 1)]), [ten], IT.vec([])),
    OpCase("-1:-11:-3", .slice([range(-1, -11, -3)]), [ten], IT.vec([9, 6, 3, 0])),
    OpCase("::-4", .slice([range(nil, nil, -4)]), [ten], IT.vec([9, 5, 1])),
    OpCase("-2::-1", .slice([range(-2, nil, -1)]), [ten], IT.vec([8, 7, 6, 5, 4, 3, 2, 1, 0])),
    OpCase(":-8:-1", .slice([range(nil, -8, -1)]), [ten], IT.vec([9, 8, 7, 6, 5, 4, 3])),
    OpCase("3:100:2", .slice([range(3, 100, 2)]), [ten], IT.vec([3, 5, 7, 9])),
    OpCase("-100::-1", .slice([range(-100, nil, -1)]), [ten], IT.vec([])),
    OpCase("100:-100:-3", .slice([range(100, -100, -3)]), [ten], IT.vec([9, 6, 3, 0])),
    OpCase("index 3", .slice([.index(3)]), [ten], IT.s(3)),
    OpCase("index -1", .slice([.index(-1)]), [ten], IT.s(9)),
    OpCase("[1, ::-1]", .slice([.index(1), range(nil, nil, -1)]), [m33], IT.vec([5, 4, 3])),
    OpCase("[:, 0]", .slice([.all, .index(0)]), [m33], IT.vec([0, 3, 6])),
    OpCase("[::2] rows", .slice([range(nil, nil, 2)]), [m33], IT.t([2, 3], [0, 1, 2, 6, 7, 8])),
    OpCase("[::-2, 1:]", .slice([range(nil, nil, -2), range(1, nil)]), [m33], IT.t([2, 2], [7, 8, 1, 2])),
    OpCase("i32 [-1, -1]", .slice([.index(-1), .index(-1)]), [IT.t([2, 2], [1, 2, 3, 4], .int32)], IT.s(4, .int32)),
    OpCase("empty axis", .slice([.all, range(1, nil)]), [IT.t([0, 3], [])], IT.t([0, 2], [])),
    OpCase("huge steps", .slice([range(nil, nil, 1 << 40), range(-1, nil, -1 << 40)]), [m33], IT.t([1, 1], [2])),
    OpCase("huge bounds", .slice([range(-1 << 40, 1 << 40), range(1 << 40, -1 << 40, -1)]), [m33],
           IT.t([3, 3], [2, 1, 0, 5, 4, 3, 8, 7, 6])),
]

/// [0, 0, 0, 0] and index/values for set cases.
private let zeros4 = IT.vec([0, 0, 0, 0])

private let indexCases: [OpCase] = [
    OpCase("rows", .advancedIndex, [m33, IT.vec([2, 0, -1], .int64)], IT.t([3, 3], [6, 7, 8, 0, 1, 2, 6, 7, 8])),
    OpCase("points", .advancedIndex, [m33, IT.vec([0, 2], .int64), IT.vec([1, -3], .int64)], IT.vec([1, 6])),
    OpCase("2d index", .advancedIndex, [m33, IT.t([2, 2], [0, 1, 1, 0], .int32)],
           IT.t([2, 2, 3], [0, 1, 2, 3, 4, 5, 3, 4, 5, 0, 1, 2])),
    OpCase("p[arange(n), y]", .advancedIndex,
           [IT.t([3, 2], [0.1, 0.9, 0.8, 0.2, 0.3, 0.7], .float32), IT.vec([0, 1, 2], .int64), IT.vec([1, 0, 1], .int32)],
           IT.vec([0.9, 0.8, 0.7], .float32)),
    OpCase("empty index", .advancedIndex, [m33, IT.vec([], .int64)], IT.t([0, 3], [])),
    OpCase("u8 index bool x", .advancedIndex, [IT.vec([1, 0, 1], .bool), IT.vec([1, 2], .uint8)], IT.vec([0, 1], .bool)),
    OpCase("setSlice", .setSlice([range(1, 4)], accumulate: false), [IT.vec([9, 9, 9, 9, 9]), IT.vec([1, 2, 3])],
           IT.vec([9, 1, 2, 3, 9])),
    OpCase("incSlice", .setSlice([range(1, 4)], accumulate: true), [IT.vec([1, 1, 1, 1, 1]), IT.vec([1, 2, 3])],
           IT.vec([1, 2, 3, 4, 1])),
    OpCase("setSlice ::-2", .setSlice([range(nil, nil, -2)], accumulate: false), [IT.vec([0, 0, 0, 0, 0]),
                                                                                   IT.vec([10, 20, 30])],
           IT.vec([30, 0, 20, 0, 10])),
    OpCase("setSlice row", .setSlice([.index(1)], accumulate: false), [m33, IT.vec([-1, -2, -3])],
           IT.t([3, 3], [0, 1, 2, -1, -2, -3, 6, 7, 8])),
    OpCase("incSlice column i32", .setSlice([.all, .index(-1)], accumulate: true),
           [IT.t([2, 2], [1, 2, 3, 4], .int32), IT.vec([10, 20], .int32)], IT.t([2, 2], [1, 12, 3, 24], .int32)),
    OpCase("setSlice empty", .setSlice([range(2, 2)], accumulate: false), [zeros4, IT.vec([])], zeros4),
    OpCase("set repeated: last wins", .setAdvancedIndex(accumulate: false),
           [zeros4, IT.vec([1, 2, 5]), IT.vec([1, 1, 3], .int64)], IT.vec([0, 2, 0, 5])),
    OpCase("inc repeated accumulates", .setAdvancedIndex(accumulate: true),
           [zeros4, IT.vec([1, 2, 5]), IT.vec([1, 1, -1], .int64)], IT.vec([0, 3, 0, 5])),
    OpCase("inc f32 rows", .setAdvancedIndex(accumulate: true),
           [IT.t([2, 2], [0, 0, 0, 0], .float32), IT.t([3, 2], [1, 2, 3, 4, 5, 6], .float32), IT.vec([1, 0, 1], .int32)],
           IT.t([2, 2], [3, 4, 6, 8], .float32)),
    OpCase("inc points i64", .setAdvancedIndex(accumulate: true),
           [IT.t([2, 2], [0, 0, 0, 0], .int64), IT.vec([5, 7], .int64), IT.vec([1, 1], .int64), IT.vec([0, 0], .int64)],
           IT.t([2, 2], [0, 0, 12, 0], .int64)),
    OpCase("inc u8 wraps", .setAdvancedIndex(accumulate: true),
           [IT.vec([250], .uint8), IT.vec([3, 4], .uint8), IT.vec([0, 0], .int64)], IT.vec([1], .uint8)),
    OpCase("set bool", .setAdvancedIndex(accumulate: false),
           [IT.vec([0, 0, 0], .bool), IT.vec([1], .bool), IT.vec([-2], .int64)], IT.vec([0, 1, 0], .bool)),
]

private let indexErrorCases: [OpErrorCase] = [
    OpErrorCase("advancedIndex too large", .advancedIndex, [m33, IT.vec([0, 3], .int64)],
                .runtime, ["advancedIndex", "index 3", "axis 0", "size 3"]),
    OpErrorCase("advancedIndex too negative", .advancedIndex, [m33, IT.vec([1], .int64), IT.vec([-4], .int64)],
                .runtime, ["index -4", "axis 1", "size 3"]),
    OpErrorCase("setAdvancedIndex out of range", .setAdvancedIndex(accumulate: true),
                [zeros4, IT.vec([1]), IT.vec([4], .int32)], .runtime, ["setAdvancedIndex", "index 4", "size 4"]),
    OpErrorCase("index into empty", .advancedIndex, [IT.t([0, 2], []), IT.vec([0], .int64)],
                .runtime, ["index 0", "size 0"]),
]

@Suite struct InterpreterIndexTests {
    @Test(arguments: sliceCases) func slice(_ c: OpCase) throws { try c.check() }
    @Test(arguments: indexCases) func index(_ c: OpCase) throws { try c.check() }
    @Test(arguments: indexErrorCases) func errors(_ c: OpErrorCase) { c.check() }

    /// The run-time slice lengths agree with the type rule's symbolic lengths for every size.
    @Test func sliceLengthsMatchTypeRuleOnSymbolicAxis() throws {
        let bounds: [Int?] = [nil, -7, -3, -1, 0, 1, 2, 5, 9]
        let x = IT.input("x", .float64, [IT.sym("n")])
        var nodes: [Node] = []
        var specs: [SliceSpec] = []
        for start in bounds {
            for stop in bounds {
                for step in [1, 2, 3, -1, -2] {
                    specs.append(range(start, stop, step))
                    nodes.append(try IT.node(.slice([range(start, stop, step)]), [x]))
                }
            }
        }
        for n in 0...7 {
            let values = (0..<n).map(Double.init)
            let outputs = try IT.run([x], nodes, [IT.vec(values)])
            for (spec, out) in zip(specs, outputs) {
                guard case .range(let start, let stop, let step) = spec else { continue }
                let (first, length) = pythonSlice(start, stop, step, n)
                #expect(out.scalars == (0..<length).map { Double(first + $0 * step) }, "n=\(n) \(spec)")
            }
        }
    }

    @Test func sliceIndexOutOfRangeAtRunTime() throws {
        let x = IT.input("x", .float32, [IT.sym("n")])
        let picked = try IT.node(.slice([.index(5)]), [x])
        IT.expectError(.runtime, ["slice", "index 5", "axis 0", "size 3"]) {
            _ = try IT.run([x], [picked], [IT.vec([1, 2, 3], .float32)])
        }
        let negative = try IT.node(.slice([.index(-4)]), [x])
        IT.expectError(.runtime, ["index -4"]) { _ = try IT.run([x], [negative], [IT.vec([1, 2, 3], .float32)]) }
    }

    @Test func setDoesNotModifyTheInput() throws {
        let x = IT.vec([1, 2, 3], .float32)
        let y = try IT.eval(.setAdvancedIndex(accumulate: true), [x, IT.vec([5], .float32), IT.vec([0], .int64)])
        #expect(y == IT.vec([6, 2, 3], .float32))
        #expect(x == IT.vec([1, 2, 3], .float32))
    }

    @Test func indexShapesMustAgreeAtRunTime() throws {
        let x = IT.input("x", .float64, [3, 3])
        let i = IT.input("i", .int64, [IT.sym("a")]), j = IT.input("j", .int64, [IT.sym("b")])
        let picked = try IT.node(.advancedIndex, [x, i, j])
        IT.expectError(.shape, ["advancedIndex", "[2]", "[1]"]) {
            _ = try IT.run([x, i, j], [picked], [m33, IT.vec([0, 1], .int64), IT.vec([0], .int64)])
        }
    }
}
