import Foundation
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR
@testable import LLVMCodegen

/// Loops with carried values (reductions, argmax, swaps) and gathers with `checkIndex`.
@Suite struct CodegenLoopTests {
    /// `out[r] = sum_c x[r, c]` accumulated in `accumulator`, an n×m matrix of `dtype`.
    static func rowSum(_ dtype: DType, accumulator: DType) -> Kernel {
        let element = CG.load(0, CG.ix(.add, CG.ix(.mul, CG.val(0), .param(1)), CG.val(1)))
        let widened = dtype == accumulator ? element : CG.op(.cast(accumulator), element)
        let result = dtype == accumulator ? CG.val(2) : CG.op(.cast(dtype), CG.val(2))
        return Kernel(
            name: "rowsum_\(dtype.shortName)", buffers: [CG.read("x", dtype), CG.write("out", dtype)],
            paramNames: ["n", "m"],
            body: [.loop(Loop(variable: CG.v(0), upper: .param(0), body: [
                .loop(Loop(variable: CG.v(1), upper: .param(1),
                           carried: [CarriedValue(id: CG.v(2), dtype: accumulator, initial: .constant(0, accumulator))],
                           body: [.yield([CG.op(.add, CG.val(2), widened)])], vectorize: true)),
                .store(buffer: 1, index: CG.val(0), value: result)]))])
    }

    /// Float sums may be reassociated by the vectorizer: within a few ulp of the row's
    /// magnitude. Integer sums are exact.
    @Test(arguments: [(DType.float32, DType.float64), (.float32, .float32), (.float64, .float64), (.int32, .int64),
                      (.int64, .int64)])
    func rowSumMatchesInterpreter(_ dtype: DType, _ accumulator: DType) throws {
        let (n, m) = (6, 1037)
        var x = Tensor(zeros: [n * m], dtype: dtype)
        for (k, value) in CG.values(n * m, seed: 9, scale: 1000).enumerated() { x.setDouble(value.rounded(), at: k) }
        if dtype.isFloatingPoint {
            for (k, value) in CG.values(n * m, seed: 9, scale: 1000).enumerated() { x.setDouble(value, at: k) }
        }
        let (llvm, reference) = try CG.both(Self.rowSum(dtype, accumulator: accumulator),
                                            [x, Tensor(zeros: [n], dtype: dtype)], [Int64(n), Int64(m)])
        for r in 0..<n {
            let (got, want) = (llvm.tensors[1].double(at: r), reference.tensors[1].double(at: r))
            let magnitude = (0..<m).reduce(0.0) { $0 + Swift.abs(x.double(at: r * m + $1)) }
            let tolerance = dtype.isFloatingPoint ? magnitude * (accumulator == .float32 ? 1e-6 : 1e-15) : 0
            #expect(Swift.abs(got - want) <= tolerance, "row \(r): \(got) vs \(want)")
        }
    }

    /// `out[r] = argmax_c x[r, c]` with two carried values (best value, best index); the
    /// first maximum wins, and the first NaN.
    static let argmax: Kernel = {
        let x = CG.val(4), best = CG.val(2)
        let isNaN = CG.op(.neq, x, x), bestIsNumber = CG.op(.eq, best, best)
        let take = CG.op(.logicalOr, CG.op(.gt, x, best), CG.op(.logicalAnd, isNaN, bestIsNumber))
        return Kernel(
            name: "argmax", buffers: [CG.read("x", .float32), CG.write("out", .int64)], paramNames: ["n", "m"],
            body: [.loop(Loop(variable: CG.v(0), upper: .param(0), body: [
                .assign(CG.v(6), .float32, CG.load(0, CG.ix(.mul, CG.val(0), .param(1)))),
                .loop(Loop(variable: CG.v(1), upper: .param(1),
                           carried: [CarriedValue(id: CG.v(2), dtype: .float32, initial: CG.val(6)),
                                     CarriedValue(id: CG.v(3), dtype: .int64, initial: CG.i(0))],
                           body: [.assign(CG.v(4), .float32,
                                          CG.load(0, CG.ix(.add, CG.ix(.mul, CG.val(0), .param(1)), CG.val(1)))),
                                  .assign(CG.v(5), .bool, take),
                                  .yield([CG.op(.select, CG.val(5), x, best),
                                          CG.op(.select, CG.val(5), CG.val(1), CG.val(3))])])),
                .store(buffer: 1, index: CG.val(0), value: CG.val(3))]))])
    }()

    @Test func argmaxWithTwoCarriedValues() throws {
        let nan = Double.nan
        let rows: [[Double]] = [[1, 3, 3, 2], [-.infinity, -.infinity, -.infinity, -.infinity], [5, nan, 7, nan],
                                [nan, 1, 2, 3], [0, -1, 9, 8.5], [2, 2, 2, 2.5], [-0.0, 0, -0.0, 0]]
        let x = CG.t([rows.count * 4], rows.flatMap { $0 })
        let (llvm, reference) = try CG.both(Self.argmax, [x, Tensor(zeros: [rows.count], dtype: .int64)],
                                            [Int64(rows.count), 4])
        #expect(llvm.tensors[1] == reference.tensors[1])
        #expect(llvm.tensors[1].scalars == [1, 0, 1, 0, 2, 3, 0])
    }

    /// `(a, b) <- (b, a + b)`: every yielded value is computed before any carried value changes.
    @Test func yieldSwapsCarriedValues() throws {
        let kernel = Kernel(
            name: "fib", buffers: [CG.write("out", .int64), CG.write("flag", .bool)], paramNames: ["n"],
            body: [.loop(Loop(variable: CG.v(0), upper: .param(0),
                              carried: [CarriedValue(id: CG.v(1), dtype: .int64, initial: CG.i(0)),
                                        CarriedValue(id: CG.v(2), dtype: .int64, initial: CG.i(1)),
                                        CarriedValue(id: CG.v(3), dtype: .bool, initial: .constant(0, .bool))],
                              body: [.yield([CG.val(2), CG.op(.add, CG.val(1), CG.val(2)),
                                             CG.op(.logicalNot, CG.val(3))])])),
                   .store(buffer: 0, index: CG.i(0), value: CG.val(1)),
                   .store(buffer: 1, index: CG.i(0), value: CG.val(3))])
        for n: Int64 in [0, 1, 10, 93, 100] {
            let outputs = [Tensor(zeros: [1], dtype: .int64), Tensor(zeros: [1], dtype: .bool)]
            let (llvm, reference) = try CG.both(kernel, outputs, [n])
            #expect(llvm.tensors[0] == reference.tensors[0] && llvm.tensors[1] == reference.tensors[1], "n = \(n)")
        }
        let (ten, _) = try CG.both(kernel, [Tensor(zeros: [1], dtype: .int64), Tensor(zeros: [1], dtype: .bool)], [10])
        #expect(ten.tensors[0].scalars == [55] && ten.tensors[1].scalars == [0])
    }

    /// `out[i] = x[idx[i]]`: an index outside 0..<m returns code 7, a second check code 9.
    static func gather(parallel: Bool) -> Kernel {
        Kernel(name: "gather", buffers: [CG.read("x", .float64), CG.read("idx", .int32), CG.write("out", .float64)],
               paramNames: ["n", "m"],
               body: [.loop(Loop(variable: CG.v(0), upper: .param(0), body: [
                   .assign(CG.v(1), .int64, CG.op(.cast(.int64), CG.load(1, CG.val(0)))),
                   .checkIndex(CG.val(1), bound: .param(1), code: 7),
                   .checkIndex(CG.ix(.sub, CG.val(1), CG.i(1)), bound: .param(1), code: 9),
                   .store(buffer: 2, index: CG.val(0), value: CG.load(0, CG.val(1)))], parallel: parallel))])
    }

    @Test(arguments: [false, true])
    func gatherChecksIndices(_ parallel: Bool) throws {
        let compiler = LLVMKernelCompiler(runtime: ParallelRuntime(threads: 2, serialThreshold: 0))
        let x = CG.t([4], [10, 20, 30, 40], .float64)
        let cases: [([Int64], Int32)] = [([3, 1, 2], 0), ([1, 4, 0], 7), ([-1, 1, 1], 7), ([1, 0, 4], 9),
                                         ([2, 2, 2, 2, 2, 2, 0, 9], 9), ([1, 1, 1, 1, 1, 1, 1, 5], 7),
                                         ([2, 2, 0, 2, 2, 9, 2, 2], 9), ([2, 9, 2, 2, 0, 2, 2, 2], 7)]
        for (indices, code) in cases {
            let n = indices.count
            let inputs = [x, CG.ints(indices, .int32), Tensor(zeros: [n], dtype: .float64)]
            let (llvm, reference) = try CG.both(Self.gather(parallel: parallel), inputs, [Int64(n), 4],
                                                compiler: compiler)
            #expect(llvm.code == code && reference.code == code, "\(indices)")
            if code == 0 { #expect(llvm.tensors[2] == reference.tensors[2]) }
        }
    }
}
