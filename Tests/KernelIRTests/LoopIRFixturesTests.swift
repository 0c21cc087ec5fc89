import Foundation
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR

/// Hand-written kernels and helpers shared by the KernelIR suites (a namespace, to stay clear
/// of other suites' helpers).
enum KT {
    static let loc = GraphIR.SourceLocation(fileID: "KernelIRTests/Fixtures.swift", line: 11)

    static func v(_ raw: Int) -> ValueID { ValueID(raw) }
    static func val(_ raw: Int) -> KExpr { .value(ValueID(raw)) }
    static func f32(_ x: Double) -> KExpr { .constant(x, .float32) }
    static func i(_ x: Int64) -> KExpr { .intConstant(x) }
    static func load(_ buffer: Int, _ index: KExpr) -> KExpr { .load(buffer: buffer, index: index) }
    static func op(_ op: ScalarOp, _ operands: KExpr...) -> KExpr { .op(op, operands) }
    static func add(_ a: KExpr, _ b: KExpr) -> KExpr { .index(.add, a, b) }
    static func mul(_ a: KExpr, _ b: KExpr) -> KExpr { .index(.mul, a, b) }

    /// `out[i] = tanh(x[i] * y[i] + 1)` over n elements.
    static let elementwise = Kernel(
        name: "k0",
        buffers: [KernelBuffer(name: "x", dtype: .float32, access: .read),
                  KernelBuffer(name: "y", dtype: .float32, access: .read),
                  KernelBuffer(name: "out", dtype: .float32, access: .write)],
        paramNames: ["n"],
        body: [.loop(Loop(variable: v(0), upper: .param(0), body: [
            .assign(v(1), .float32, op(.mul, load(0, val(0)), load(1, val(0)))),
            .assign(v(2), .float32, op(.tanh, op(.add, val(1), f32(1)))),
            .store(buffer: 2, index: val(0), value: val(2)),
        ], parallel: true, vectorize: true))])

    /// `out[r, c] = tanh(x[r, c] * w[c] + b[0])`: a row vector and a scalar broadcast over an
    /// n×m matrix (params n, m).
    static let broadcast = Kernel(
        name: "bcast",
        buffers: [KernelBuffer(name: "x", dtype: .float32, access: .read),
                  KernelBuffer(name: "w", dtype: .float32, access: .read),
                  KernelBuffer(name: "b", dtype: .float32, access: .read),
                  KernelBuffer(name: "out", dtype: .float32, access: .write)],
        paramNames: ["n", "m"],
        body: [.loop(Loop(variable: v(0), upper: .param(0), body: [
            .loop(Loop(variable: v(1), upper: .param(1), body: [
                .assign(v(2), .int64, add(mul(val(0), .param(1)), val(1))),
                .assign(v(3), .float32, op(.add, op(.mul, load(0, val(2)), load(1, val(1))), load(2, i(0)))),
                .store(buffer: 3, index: val(2), value: op(.tanh, val(3))),
            ], vectorize: true)),
        ], parallel: true))])

    /// `out[r] = sum_c x[r, c]` accumulated in f64 (like the reference), an n×m f32 matrix.
    static let rowSum = Kernel(
        name: "rowsum",
        buffers: [KernelBuffer(name: "x", dtype: .float32, access: .read),
                  KernelBuffer(name: "out", dtype: .float32, access: .write)],
        paramNames: ["n", "m"],
        body: [.loop(Loop(variable: v(0), upper: .param(0), body: [
            .loop(Loop(variable: v(1), upper: .param(1),
                       carried: [CarriedValue(id: v(2), dtype: .float64, initial: .constant(0, .float64))],
                       body: [.yield([op(.add, val(2), op(.cast(.float64), load(0, add(mul(val(0), .param(1)), val(1)))))])],
                       vectorize: true)),
            .store(buffer: 1, index: val(0), value: op(.cast(.float32), val(2))),
        ], parallel: true))])

    /// `out[r] = argmax_c x[r, c]` with two carried values (best value, best index); the
    /// first maximum wins, and the first NaN (like the reference).
    static let argmax: Kernel = {
        let x = val(4), best = val(2)
        let isNaN = op(.neq, x, x), bestIsNumber = op(.eq, best, best)
        let take = op(.logicalOr, op(.gt, x, best), op(.logicalAnd, isNaN, bestIsNumber))
        return Kernel(
            name: "argmax",
            buffers: [KernelBuffer(name: "x", dtype: .float32, access: .read),
                      KernelBuffer(name: "out", dtype: .int64, access: .write)],
            paramNames: ["n", "m"],
            body: [.loop(Loop(variable: v(0), upper: .param(0), body: [
                .assign(v(6), .float32, load(0, mul(val(0), .param(1)))),
                .loop(Loop(variable: v(1), upper: .param(1),
                           carried: [CarriedValue(id: v(2), dtype: .float32, initial: val(6)),
                                     CarriedValue(id: v(3), dtype: .int64, initial: i(0))],
                           body: [.assign(v(4), .float32, load(0, add(mul(val(0), .param(1)), val(1)))),
                                  .assign(v(5), .bool, take),
                                  .yield([op(.select, val(5), x, best), op(.select, val(5), val(1), val(3))])])),
                .store(buffer: 1, index: val(0), value: val(3)),
            ]))])
    }()

    /// `out[i] = x[idx[i]]` for an int32 index vector; an index outside 0..<m returns code 7.
    static let gather = Kernel(
        name: "gather",
        buffers: [KernelBuffer(name: "x", dtype: .float64, access: .read),
                  KernelBuffer(name: "idx", dtype: .int32, access: .read),
                  KernelBuffer(name: "out", dtype: .float64, access: .write)],
        paramNames: ["n", "m"],
        body: [.loop(Loop(variable: v(0), upper: .param(0), body: [
            .assign(v(1), .int64, op(.cast(.int64), load(1, val(0)))),
            .checkIndex(val(1), bound: .param(1), code: 7),
            .store(buffer: 2, index: val(0), value: load(0, val(1))),
        ]))])

    /// A tensor of `dtype` from Doubles.
    static func t(_ shape: [Int], _ values: [Double], _ dtype: DType = .float32) -> Tensor {
        try! Tensor(shape: shape, values: values, dtype: dtype)
    }

    /// Deterministic pseudo-random values in [-2, 2).
    static func values(_ count: Int, seed: UInt64) -> [Double] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) * 4 - 2
        }
    }

    /// An input node of the given type.
    static func input(_ name: String, _ dtype: DType, _ shape: [Dim]) -> Node {
        Node.make(.input(name: name, TensorType(dtype, shape)), [], at: loc)
    }

    /// Runs one kernel with the interpreter on tensors (bounds checked).
    static func interpret(_ kernel: Kernel, _ tensors: inout [Tensor], _ params: [Int64]) throws -> Int32 {
        let executor = try KernelInterpreter().compile([kernel])
        return executor.run(kernel: 0, tensors: &tensors, params: params)
    }
}
