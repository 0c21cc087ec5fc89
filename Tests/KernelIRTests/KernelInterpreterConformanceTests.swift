import Foundation
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR

/// Every ScalarOp over every dtype it takes, in the interpreter and in GraphIR's reference
/// interpreter: results must be bit-identical.
private enum CT {
    static let count = 40

    /// Operand values of `dtype`, rotated by `shift` so operands pair up differently.
    static func operand(_ dtype: DType, shift: Int) -> Tensor {
        let floats: [Double] = [0, -0.0, 1, -1, 0.5, -2.5, 3, .infinity, -.infinity, .nan, 1e30, -1e-30, 88.75,
                                -100, 7, 1e-8, 2, -3, 0.1, 710]
        let ints: [Int64] = [0, 1, -1, 2, -7, 7, 3, 100, -100, 5, 2_147_483_647, -2_147_483_648, 255, 128, 9,
                             -3, 1 << 40, Int64.max, Int64.min, 64]
        var t = Tensor(zeros: [count], dtype: dtype)
        for i in 0..<count {
            let k = (i + shift * 7) % count
            switch dtype {
            case .float32, .float64:
                t.setDouble(k < floats.count ? floats[k] : KT.values(count, seed: 9)[k] * 4, at: i)
            case .int32, .int64, .uint8: t.setInt64(k < ints.count ? ints[k] : Int64(k * 37 % 23) - 11, at: i)
            case .bool: t.setInt64(Int64((k * 7 / 3) % 2), at: i)
            }
        }
        return t
    }

    /// The operand dtype lists `op` accepts.
    static func signatures(_ op: ScalarOp) -> [[DType]] {
        let all = DType.allCases, numeric: [DType] = [.float32, .float64, .int32, .int64, .uint8]
        switch op.dtypeRule {
        case .arithmetic: return numeric.map { Array(repeating: $0, count: op.arity) }
        case .float: return [.float32, .float64].map { Array(repeating: $0, count: op.arity) }
        case .comparison: return all.map { [$0, $0] }
        case .logical: return [Array(repeating: .bool, count: op.arity)]
        case .select: return all.map { [.bool, $0, $0] }
        case .clip: return all.map { [$0, $0, $0] }
        case .cast: return all.map { [$0] }
        }
    }

    /// Every (op, operand dtypes) pair, casts to every dtype.
    static let cases: [(ScalarOp, [DType])] = {
        let ops = ScalarOp.allCases.filter { if case .cast = $0 { return false } else { return true } }
            + DType.allCases.map { ScalarOp.cast($0) }
        return ops.flatMap { op in signatures(op).map { (op, $0) } }
    }()

    /// `out[i] = op(a0[i], a1[i], ...)`.
    static func kernel(_ op: ScalarOp, _ dtypes: [DType], result: DType) -> Kernel {
        let buffers = dtypes.enumerated().map { KernelBuffer(name: "a\($0.offset)", dtype: $0.element, access: .read) }
        let operands = dtypes.indices.map { KT.load($0, KT.val(0)) }
        return Kernel(name: "conf", buffers: buffers + [KernelBuffer(name: "out", dtype: result, access: .write)],
                      paramNames: ["n"],
                      body: [.loop(Loop(variable: KT.v(0), upper: .param(0), body: [
                          .store(buffer: dtypes.count, index: KT.val(0), value: .op(op, operands))]))])
    }
}

@Suite struct KernelInterpreterConformanceTests {
    @Test(arguments: CT.cases)
    func scalarOpMatchesReferenceBitForBit(_ op: ScalarOp, _ dtypes: [DType]) throws {
        let operands = dtypes.enumerated().map { CT.operand($0.element, shift: $0.offset) }
        let expected = try KernelInterpreterTests.reference(.elementwise(op), operands)
        var tensors = operands + [Tensor(zeros: [CT.count], dtype: expected.dtype)]
        #expect(try KT.interpret(CT.kernel(op, dtypes, result: expected.dtype), &tensors, [Int64(CT.count)]) == 0)
        let actual = tensors[dtypes.count]
        for i in 0..<CT.count where actual.int64(at: i) != expected.int64(at: i)
            || actual.double(at: i).bitPattern != expected.double(at: i).bitPattern {
            Issue.record("\(op.name)\(dtypes) element \(i): \(actual.double(at: i)) vs \(expected.double(at: i))")
        }
    }

    /// Nested expressions round at every op, like a chain of reference nodes.
    @Test func nestedExpressionRoundsEveryOp() throws {
        let a = CT.operand(.float32, shift: 0), b = CT.operand(.float32, shift: 1)
        let sum = try KernelInterpreterTests.reference(.elementwise(.add), [a, b])
        let scaled = try KernelInterpreterTests.reference(.elementwise(.mul), [sum, a])
        let expected = try KernelInterpreterTests.reference(.elementwise(.cast(.int32)), [
            try KernelInterpreterTests.reference(.elementwise(.exp), [scaled])])
        let body = KT.op(.cast(.int32), KT.op(.exp, KT.op(.mul, KT.op(.add, KT.load(0, KT.val(0)), KT.load(1, KT.val(0))),
                                                           KT.load(0, KT.val(0)))))
        let kernel = Kernel(name: "nest", buffers: [KernelBuffer(name: "a", dtype: .float32, access: .read),
                                                    KernelBuffer(name: "b", dtype: .float32, access: .read),
                                                    KernelBuffer(name: "out", dtype: .int32, access: .write)],
                            paramNames: ["n"],
                            body: [.loop(Loop(variable: KT.v(0), upper: .param(0), body: [
                                .store(buffer: 2, index: KT.val(0), value: body)]))])
        var tensors = [a, b, Tensor(zeros: [CT.count], dtype: .int32)]
        #expect(try KT.interpret(kernel, &tensors, [Int64(CT.count)]) == 0)
        #expect(tensors[2] == expected)
    }
}
