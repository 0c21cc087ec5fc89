import Testing
import TensorRuntime
@testable import GraphIR

/// [[1, 2, 3], [4, 5, 6]] and [[1, 0], [0, 1], [2, -1]] in a dtype.
private func a23(_ d: DType) -> Tensor { IT.t([2, 3], [1, 2, 3, 4, 5, 6], d) }
private func b32(_ d: DType) -> Tensor { IT.t([3, 2], [1, 0, 0, 1, 2, -1], d) }

private let dotCases: [OpCase] = [DType.float32, .float64, .int32, .int64, .uint8].flatMap { d -> [OpCase] in
    let pos = d == .uint8  // unsigned cases avoid the -1 entry
    let b = pos ? IT.t([3, 2], [1, 0, 0, 1, 2, 1], d) : b32(d)
    return [
        OpCase("matrix·matrix \(d)", .dot, [a23(d), b], IT.t([2, 2], pos ? [7, 5, 16, 11] : [7, -1, 16, -1], d)),
        OpCase("matrix·vector \(d)", .dot, [a23(d), IT.vec([1, 0, 2], d)], IT.vec([7, 16], d)),
        OpCase("vector·matrix \(d)", .dot, [IT.vec([1, 2, 3], d), b], IT.vec(pos ? [7, 5] : [7, -1], d)),
        OpCase("vector·vector \(d)", .dot, [IT.vec([1, 2, 3], d), IT.vec([4, 5, 6], d)], IT.s(32, d)),
        OpCase("(1,k)·(k,1) \(d)", .dot, [IT.t([1, 3], [1, 2, 3], d), IT.t([3, 1], [4, 5, 6], d)],
               IT.t([1, 1], [32], d)),
        OpCase("(m,1)·(1,n) \(d)", .dot, [IT.t([2, 1], [1, 2], d), IT.t([1, 2], [3, 4], d)],
               IT.t([2, 2], [3, 4, 6, 8], d)),
        OpCase("inner zero \(d)", .dot, [IT.t([2, 0], [], d), IT.t([0, 3], [], d)], IT.t([2, 3], [0, 0, 0, 0, 0, 0], d)),
        OpCase("rows zero \(d)", .dot, [IT.t([0, 3], [], d), b], IT.t([0, 2], [], d)),
        OpCase("empty vectors \(d)", .dot, [IT.vec([], d), IT.vec([], d)], IT.s(0, d)),
        OpCase("batched \(d)", .batchedDot, [IT.t([2, 1, 2], [1, 2, 3, 4], d), IT.t([2, 2, 1], [5, 6, 7, 8], d)],
               IT.t([2, 1, 1], [17, 53], d)),
        OpCase("batched empty batch \(d)", .batchedDot, [IT.t([0, 2, 3], [], d), IT.t([0, 3, 4], [], d)],
               IT.t([0, 2, 4], [], d)),
    ]
} + [
    OpCase("dot i32 wraps", .dot, [IT.vec([65536, 1], .int32), IT.vec([65536, 1], .int32)], IT.s(1, .int32)),
    OpCase("dot NaN", .dot, [IT.t([1, 2], [.nan, 1]), IT.vec([0, 1])], IT.vec([.nan])),
]

private let shapeCases: [OpCase] = [
    OpCase("reshape", .reshape([3, 2]), [a23(.float64)], IT.t([3, 2], [1, 2, 3, 4, 5, 6])),
    OpCase("reshape to scalar", .reshape([]), [IT.t([1, 1], [7], .int32)], IT.s(7, .int32)),
    OpCase("reshape empty", .reshape([3, 0]), [IT.t([0, 5], [])], IT.t([3, 0], [])),
    OpCase("transpose", .dimshuffle([1, 0]), [a23(.float32)], IT.t([3, 2], [1, 4, 2, 5, 3, 6], .float32)),
    OpCase("transpose u8", .dimshuffle([1, 0]), [a23(.uint8)], IT.t([3, 2], [1, 4, 2, 5, 3, 6], .uint8)),
    OpCase("add axes", .dimshuffle([nil, 0, nil, 1]), [a23(.int64)], IT.t([1, 2, 1, 3], [1, 2, 3, 4, 5, 6], .int64)),
    OpCase("drop and permute", .dimshuffle([2, 0]), [IT.t([2, 1, 3], [1, 2, 3, 4, 5, 6])],
           IT.t([3, 2], [1, 4, 2, 5, 3, 6])),
    OpCase("3d permutation", .dimshuffle([2, 0, 1]), [IT.t([2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7])],
           IT.t([2, 2, 2], [0, 2, 4, 6, 1, 3, 5, 7])),
    OpCase("scalar to [1,1]", .dimshuffle([nil, nil]), [IT.s(3, .bool)], IT.t([1, 1], [1], .bool)),
    OpCase("concatenate axis 0", .concatenate(axis: 0), [a23(.float64), IT.t([1, 3], [7, 8, 9])],
           IT.t([3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9])),
    OpCase("concatenate axis 1", .concatenate(axis: 1), [a23(.int32), IT.t([2, 1], [7, 8], .int32)],
           IT.t([2, 4], [1, 2, 3, 7, 4, 5, 6, 8], .int32)),
    OpCase("concatenate with empty", .concatenate(axis: 1),
           [IT.t([2, 0], [], .float32), a23(.float32), IT.t([2, 0], [], .float32)], a23(.float32)),
    OpCase("concatenate three vectors", .concatenate(axis: 0),
           [IT.vec([1], .bool), IT.vec([0, 1], .bool), IT.vec([0], .bool)], IT.vec([1, 0, 1, 0], .bool)),
    OpCase("concatenate single", .concatenate(axis: 0), [IT.vec([1, 2])], IT.vec([1, 2])),
]

@Suite struct InterpreterLinalgShapeTests {
    @Test(arguments: dotCases) func dot(_ c: OpCase) throws { try c.check() }
    @Test(arguments: shapeCases) func shape(_ c: OpCase) throws { try c.check() }

    @Test func float32GemmMatchesFloat64Reference() throws {
        let m = 5, k = 7, n = 3
        let a = (0..<(m * k)).map { Double(Float(Double($0 % 11) * 0.37 - 1.2)) }
        let b = (0..<(k * n)).map { Double(Float(Double($0 % 5) * -0.81 + 0.4)) }
        let result = try IT.eval(.dot, [IT.t([m, k], a, .float32), IT.t([k, n], b, .float32)])
        var reference: [Double] = []
        for i in 0..<m {
            for j in 0..<n { reference.append((0..<k).reduce(0) { $0 + a[i * k + $1] * b[$1 * n + j] }) }
        }
        #expect(IT.matches(result, IT.t([m, n], reference, .float32), tolerance: 1e-6))
    }

    @Test func dotRuntimeInnerMismatch() throws {
        let x = IT.input("x", .float64, [2, IT.sym("k")]), y = IT.input("y", .float64, [IT.sym("j"), 2])
        let product = try IT.node(.dot, [x, y])
        IT.expectError(.shape, ["dot", "[2, 3]", "[4, 2]"]) {
            _ = try IT.run([x, y], [product], [IT.t([2, 3], [1, 2, 3, 4, 5, 6]), IT.t([4, 2], Array(repeating: 1, count: 8))])
        }
    }

    @Test func batchedDotRuntimeMismatch() throws {
        let x = IT.input("x", .float32, [IT.sym("b"), 1, 2]), y = IT.input("y", .float32, [IT.sym("c"), 2, 1])
        let product = try IT.node(.batchedDot, [x, y])
        IT.expectError(.shape, ["batchedDot", "[2, 1, 2]", "[3, 2, 1]"]) {
            _ = try IT.run([x, y], [product], [IT.t([2, 1, 2], [1, 2, 3, 4], .float32),
                                               IT.t([3, 2, 1], [1, 2, 3, 4, 5, 6], .float32)])
        }
    }

    @Test func reshapeSharesStorage() throws {
        let x = a23(.float32)
        let y = try IT.eval(.reshape([6]), [x])
        #expect(y.storage === x.storage)
        let kept = try IT.eval(.dimshuffle([nil, 0, 1]), [x])
        #expect(kept.storage === x.storage && kept.shape == [1, 2, 3])
    }

    @Test func reshapeWithSymbols() throws {
        let n = IT.sym("n"), m = IT.sym("m")
        let x = IT.input("x", .float32, [n, 4])
        let doubled = try IT.node(.reshape([Dim.constant(2) * n, 2]), [x])
        let free = try IT.node(.reshape([m, 2]), [x])
        let both = try IT.node(.elementwise(.add), [doubled, free])
        let out = try IT.run([x], [both], [IT.t([3, 4], (0..<12).map(Double.init), .float32)])
        #expect(out[0] == IT.t([6, 2], (0..<12).map { 2 * Double($0) }, .float32))
    }

    @Test func reshapeRuntimeCountMismatch() throws {
        let x = IT.input("x", .float32, [IT.sym("n")])
        let r = try IT.node(.reshape([3]), [x])
        IT.expectError(.shape, ["reshape", "[4]", "[3]"]) { _ = try IT.run([x], [r], [IT.vec([1, 2, 3, 4], .float32)]) }
        #expect(try IT.run([x], [r], [IT.vec([1, 2, 3], .float32)])[0] == IT.vec([1, 2, 3], .float32))
    }

    @Test func concatenateRuntimeMismatch() throws {
        let x = IT.input("x", .float32, [IT.sym("n"), 2]), y = IT.input("y", .float32, [IT.sym("m"), 2])
        let joined = try IT.node(.concatenate(axis: 1), [x, y])
        IT.expectError(.shape, ["concatenate", "[2, 2]", "[3, 2]"]) {
            _ = try IT.run([x, y], [joined], [IT.t([2, 2], [1, 2, 3, 4], .float32), IT.t([3, 2], [1, 2, 3, 4, 5, 6], .float32)])
        }
        let out = try IT.run([x, y], [joined], [IT.t([1, 2], [1, 2], .float32), IT.t([1, 2], [3, 4], .float32)])
        #expect(out[0] == IT.t([1, 4], [1, 2, 3, 4], .float32))
    }
}
