import Foundation
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR
@testable import LLVMCodegen

/// Elementwise kernels, index arithmetic, nested and zero-trip loops: LLVM vs interpreter.
@Suite struct CodegenKernelTests {
    /// W1: `out = tanh(a*x + b) * sigmoid(x) - exp(-x*x) * 0.5`, a and b one-element buffers.
    static let w1: Kernel = {
        let x = CG.load(0, CG.val(0)), a = CG.load(1, CG.i(0)), b = CG.load(2, CG.i(0))
        let left = CG.op(.mul, CG.op(.tanh, CG.op(.add, CG.op(.mul, a, x), b)), CG.op(.sigmoid, x))
        let right = CG.op(.mul, CG.op(.exp, CG.op(.neg, CG.op(.mul, x, x))), CG.f32(0.5))
        return Kernel(name: "w1", buffers: [CG.read("x", .float32), CG.read("a", .float32), CG.read("b", .float32),
                                            CG.write("out", .float32)],
                      paramNames: ["n"],
                      body: [.loop(Loop(variable: CG.v(0), upper: .param(0), body: [
                          .store(buffer: 3, index: CG.val(0), value: CG.op(.sub, left, right))], vectorize: true))])
    }()

    static func w1Inputs(_ n: Int) -> [Tensor] {
        [CG.t([n], CG.values(n, seed: 3)), CG.t([1], [0.7]), CG.t([1], [0.1]), Tensor(zeros: [n])]
    }

    @Test func w1MatchesInterpreterAndFloat64() throws {
        let n = 1000
        let (llvm, reference) = try CG.both(Self.w1, Self.w1Inputs(n), [Int64(n)])
        #expect(llvm.code == 0 && reference.code == 0)
        let x = Self.w1Inputs(n)[0]
        for k in 0..<n {
            let xd = x.double(at: k)
            let exact = Foundation.tanh(Double(Float(0.7)) * xd + Double(Float(0.1))) / (1 + Foundation.exp(-xd))
                - Foundation.exp(-xd * xd) * 0.5
            let (got, want) = (llvm.tensors[3].double(at: k), reference.tensors[3].double(at: k))
            #expect(Swift.abs(got - want) <= 1e-6 && Swift.abs(got - exact) <= 1e-6, "x = \(xd): \(got) vs \(want)")
        }
    }

    /// `out[i] = x[i / m, i % m] * w[i % m] + b[0]` over a flat index (floor div/mod).
    @Test func broadcastIndexMath() throws {
        let (n, m) = (7, 5)
        let i = CG.val(0), row = CG.ix(.floorDiv, i, .param(1)), column = CG.ix(.floorMod, i, .param(1))
        let value = CG.op(.add, CG.op(.mul, CG.load(0, CG.ix(.add, CG.ix(.mul, row, .param(1)), column)),
                                      CG.load(1, column)), CG.load(2, CG.i(0)))
        let kernel = Kernel(name: "bcast", buffers: [CG.read("x", .float32), CG.read("w", .float32),
                                                     CG.read("b", .float32), CG.write("out", .float32)],
                            paramNames: ["nm", "m"],
                            body: [.loop(Loop(variable: CG.v(0), upper: .param(0), body: [
                                .store(buffer: 3, index: i, value: value)], vectorize: true))])
        let x = CG.values(n * m, seed: 1), w = CG.values(m, seed: 2)
        let inputs = [CG.t([n * m], x), CG.t([m], w), CG.t([1], [0.25]), Tensor(zeros: [n * m])]
        let (llvm, reference) = try CG.both(kernel, inputs, [Int64(n * m), Int64(m)])
        #expect(CG.mismatches(llvm.tensors[3], reference.tensors[3]).isEmpty)
        let expected = (0..<n * m).map { Double(Float(Float(x[$0]) * Float(w[$0 % m])) + 0.25) }
        #expect(llvm.tensors[3].scalars == expected)
    }

    static let indexValues: [Int64] = [0, 1, -1, 7, -7, 2, -2, 3, 100, -100, Int64.max, Int64.min, 13, -13]

    /// Every IndexOp on all pairs of interesting int64 values, including zero divisors and
    /// `Int64.min / -1`.
    @Test(arguments: IndexOp.allCases)
    func indexOpMatchesInterpreter(_ op: IndexOp) throws {
        let values = Self.indexValues, n = values.count * values.count
        let kernel = Kernel(name: "index_\(op.rawValue)", buffers: [CG.read("a", .int64), CG.read("b", .int64),
                                                                    CG.write("out", .int64)],
                            paramNames: ["n"],
                            body: [.loop(Loop(variable: CG.v(0), upper: .param(0), body: [
                                .store(buffer: 2, index: CG.val(0),
                                       value: CG.ix(op, CG.load(0, CG.val(0)), CG.load(1, CG.val(0))))]))])
        let a = CG.ints((0..<n).map { values[$0 / values.count] }, .int64)
        let b = CG.ints((0..<n).map { values[$0 % values.count] }, .int64)
        let (llvm, reference) = try CG.both(kernel, [a, b, Tensor(zeros: [n], dtype: .int64)], [Int64(n)])
        #expect(CG.mismatches(llvm.tensors[2], reference.tensors[2]).isEmpty, "\(op)")
        let minusSevenByTwo = llvm.tensors[2].int64(at: values.count * 4 + 5)  // (-7, 2)
        if op == .floorDiv { #expect(minusSevenByTwo == -4) }
        if op == .floorMod { #expect(minusSevenByTwo == 1) }
    }

    /// A transpose (two nested loops) and a triangular loop whose inner bound depends on the
    /// outer variable, with a carried prefix sum.
    @Test func nestedLoops() throws {
        let (n, m) = (5, 3)
        let r = CG.val(0), c = CG.val(1)
        let transpose = Kernel(
            name: "transpose", buffers: [CG.read("x", .int32), CG.write("y", .int32)], paramNames: ["n", "m"],
            body: [.loop(Loop(variable: CG.v(0), upper: .param(0), body: [
                .loop(Loop(variable: CG.v(1), upper: .param(1), body: [
                    .store(buffer: 1, index: CG.ix(.add, CG.ix(.mul, c, .param(0)), r),
                           value: CG.load(0, CG.ix(.add, CG.ix(.mul, r, .param(1)), c)))]))]))])
        let x = CG.ints((0..<Int64(n * m)).map { $0 * 3 - 7 }, .int32)
        let (llvm, reference) = try CG.both(transpose, [x, Tensor(zeros: [n * m], dtype: .int32)], [Int64(n), Int64(m)])
        #expect(llvm.tensors[1] == reference.tensors[1])
        #expect(llvm.tensors[1].int64(at: 1) == x.int64(at: m))

        let triangle = Kernel(
            name: "prefix", buffers: [CG.read("x", .int64), CG.write("y", .int64)], paramNames: ["n"],
            body: [.loop(Loop(variable: CG.v(0), upper: .param(0), body: [
                .loop(Loop(variable: CG.v(1), upper: CG.ix(.add, r, CG.i(1)),
                           carried: [CarriedValue(id: CG.v(2), dtype: .int64, initial: CG.i(0))],
                           body: [.yield([CG.op(.add, CG.val(2), CG.load(0, c))])])),
                .store(buffer: 1, index: r, value: CG.val(2))]))])
        let values = CG.ints([3, -1, 4, 1, -5, 9], .int64)
        let (sums, expected) = try CG.both(triangle, [values, Tensor(zeros: [6], dtype: .int64)], [6])
        #expect(sums.tensors[1] == expected.tensors[1])
        #expect(sums.tensors[1].scalars == [3, 2, 6, 7, 2, 11])
    }

    /// Loops that run zero times leave memory alone and give carried values their initial value.
    @Test func zeroTripLoops() throws {
        let kernel = Kernel(
            name: "zero", buffers: [CG.read("x", .float32), CG.write("y", .float32), CG.write("s", .float32)],
            paramNames: ["lo", "hi"],
            body: [.loop(Loop(variable: CG.v(0), lower: .param(0), upper: .param(1), body: [
                       .store(buffer: 1, index: CG.val(0), value: CG.op(.exp, CG.load(0, CG.val(0))))],
                              vectorize: true)),
                   .loop(Loop(variable: CG.v(1), lower: .param(0), upper: .param(1),
                              carried: [CarriedValue(id: CG.v(2), dtype: .float32, initial: CG.f32(-2.5))],
                              body: [.yield([CG.op(.add, CG.val(2), CG.load(0, CG.val(1)))])], vectorize: true)),
                   .store(buffer: 2, index: CG.i(0), value: CG.val(2))])
        let inputs = [CG.t([4], [1, 2, 3, 4]), CG.t([4], [9, 9, 9, 9]), CG.t([1], [7])]
        for bounds: [Int64] in [[0, 0], [3, 1], [2, -5]] {
            let (llvm, reference) = try CG.both(kernel, inputs, bounds)
            #expect(llvm.code == 0 && reference.code == 0)
            #expect(llvm.tensors[1].scalars == [9, 9, 9, 9] && llvm.tensors[2].scalars == [-2.5], "\(bounds)")
            #expect(llvm.tensors[2] == reference.tensors[2])
        }
        let (partial, _) = try CG.both(kernel, inputs, [1, 3])
        #expect(partial.tensors[1].scalars[0] == 9 && partial.tensors[1].scalars[3] == 9)
        #expect(partial.tensors[2].scalars == [2.5])
    }

    /// Bool buffers: any non-zero byte reads as true; stores write 0 or 1.
    @Test func boolBuffersNormalize() throws {
        let kernel = CG.elementwise("not", .logicalNot, [.bool], result: .bool)
        var input = Tensor(zeros: [4], dtype: .bool)
        input.withUnsafeMutableRawBuffer { raw in
            for (k, byte) in [UInt8(0), 2, 255, 1].enumerated() { raw[k] = byte }
        }
        let (llvm, reference) = try CG.both(kernel, [input, Tensor(zeros: [4], dtype: .bool)], [4])
        #expect(llvm.tensors[1] == reference.tensors[1])
        llvm.tensors[1].withUnsafeRawBuffer { #expect(Array($0) == [1, 0, 0, 0]) }
    }
}
