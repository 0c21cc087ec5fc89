import Foundation
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR

@Suite struct KernelInterpreterTests {
    /// The reference interpreter's value of `op` applied to the tensors (bindings empty).
    static func reference(_ op: Op, _ operands: [Tensor]) throws -> Tensor {
        let inputs = operands.enumerated().map { KT.input("a\($0.offset)", $0.element.dtype, $0.element.shape.map { .constant($0) }) }
        let node = Node.make(op, inputs, at: KT.loc)
        var bindings: [DimSymbol: Int] = [:]
        return try evaluate(node, operands, bindings: &bindings)
    }

    @Test func elementwiseMatchesFloat64Reference() throws {
        let n = 37
        let x = KT.values(n, seed: 1), y = KT.values(n, seed: 2)
        var tensors = [KT.t([n], x), KT.t([n], y), Tensor(zeros: [n])]
        #expect(try KT.interpret(KT.elementwise, &tensors, [Int64(n)]) == 0)
        for i in 0..<n {
            // Each op rounds to f32, like the reference storing every node's result.
            let product = Double(Float(Double(Float(x[i])) * Double(Float(y[i]))))
            let expected = Float(Foundation.tanh(Double(Float(product + 1))))
            #expect(tensors[2].double(at: i) == Double(expected))
        }
    }

    @Test func broadcastIndexMath() throws {
        let (n, m) = (3, 5)
        let x = KT.values(n * m, seed: 3), w = KT.values(m, seed: 4)
        var tensors = [KT.t([n, m], x), KT.t([m], w), KT.t([1], [0.25]), Tensor(zeros: [n, m])]
        #expect(try KT.interpret(KT.broadcast, &tensors, [Int64(n), Int64(m)]) == 0)
        for r in 0..<n {
            for c in 0..<m {
                let xw = Double(Float(Double(Float(x[r * m + c])) * Double(Float(w[c]))))
                let expected = Float(Foundation.tanh(Double(Float(xw + 0.25))))
                #expect(tensors[3].double(at: r * m + c) == Double(expected), "[\(r), \(c)]")
            }
        }
    }

    @Test func rowSumWithCarriedValueEqualsReferenceSum() throws {
        let (n, m) = (4, 33)
        let x = KT.t([n, m], KT.values(n * m, seed: 5).map { $0 * 1000 })
        var tensors = [x, Tensor(zeros: [n])]
        #expect(try KT.interpret(KT.rowSum, &tensors, [Int64(n), Int64(m)]) == 0)
        let expected = try Self.reference(.reduce(.sum, axes: [1], keepDims: false), [x])
        #expect(tensors[1] == expected)
    }

    @Test func argmaxWithTwoCarriedValuesEqualsReference() throws {
        let nan = Double.nan
        let rows: [[Double]] = [[1, 3, 3, 2], [-.infinity, -.infinity, -.infinity, -.infinity], [5, nan, 7, nan],
                                [nan, 1, 2, 3], [0, -1, 9, 8.5], [2, 2, 2, 2.5]]
        let x = KT.t([rows.count, 4], rows.flatMap { $0 })
        var tensors = [x, Tensor(zeros: [rows.count], dtype: .int64)]
        #expect(try KT.interpret(KT.argmax, &tensors, [Int64(rows.count), 4]) == 0)
        let expected = try Self.reference(.argmax(axis: 1, keepDims: false), [x])
        #expect(tensors[1] == expected)
        #expect(tensors[1].scalars == [1, 0, 1, 0, 2, 3])
    }

    @Test func gatherReturnsCheckCodeOnBadIndex() throws {
        let x = KT.t([4], [10, 20, 30, 40], .float64)
        var good = [x, KT.t([3], [3, 0, 2], .int32), Tensor(zeros: [3], dtype: .float64)]
        #expect(try KT.interpret(KT.gather, &good, [3, 4]) == 0)
        #expect(good[2].scalars == [40, 10, 30])
        for bad in [[1.0, 4, 0], [-1, 0, 0]] {
            var tensors = [x, KT.t([3], bad, .int32), Tensor(zeros: [3], dtype: .float64)]
            #expect(try KT.interpret(KT.gather, &tensors, [3, 4]) == 7)
        }
    }

    @Test func writesGoToCopiesOfSharedStorage() throws {
        let out = Tensor(zeros: [2])
        var tensors = [KT.t([2], [1, 2]), KT.t([2], [3, 4]), out]
        #expect(try KT.interpret(KT.elementwise, &tensors, [2]) == 0)
        #expect(out.scalars == [0, 0])
        #expect(tensors[2].scalars != [0, 0])
    }

    @Test(arguments: [(IndexOp.floorDiv, Int64(-7), Int64(2), Int64(-4)), (.floorMod, -7, 2, 1), (.floorMod, 7, -2, -1),
                      (.floorDiv, 7, 0, 0), (.floorMod, 7, 0, 0), (.min, -3, 2, -3), (.max, -3, 2, 2),
                      (.sub, Int64.min, 1, Int64.max), (.mul, 6, -7, -42)])
    func indexArithmetic(_ op: IndexOp, _ a: Int64, _ b: Int64, _ expected: Int64) throws {
        let kernel = Kernel(name: "ix", buffers: [KernelBuffer(name: "out", dtype: .int64, access: .write)],
                            paramNames: ["a", "b"],
                            body: [.store(buffer: 0, index: .intConstant(0), value: .index(op, .param(0), .param(1)))])
        var tensors = [Tensor(zeros: [1], dtype: .int64)]
        #expect(try KT.interpret(kernel, &tensors, [a, b]) == 0)
        #expect(tensors[0].int64(at: 0) == expected)
    }

    @Test func loopBoundsAndCarriedValuesAfterEmptyLoop() throws {
        // for %v0 in 2..<2 iter(%v1 = 5) { yield %v1 + 1 }; the final value is the initial one.
        let kernel = Kernel(name: "empty", buffers: [KernelBuffer(name: "out", dtype: .int64, access: .write)],
                            paramNames: ["lo", "hi"],
                            body: [.loop(Loop(variable: KT.v(0), lower: .param(0), upper: .param(1),
                                              carried: [CarriedValue(id: KT.v(1), dtype: .int64, initial: KT.i(5))],
                                              body: [.yield([KT.add(KT.val(1), KT.val(0))])])),
                                   .store(buffer: 0, index: KT.i(0), value: KT.val(1))])
        for (lo, hi, expected) in [(Int64(2), Int64(2), Int64(5)), (3, 1, 5), (2, 5, 5 + 2 + 3 + 4)] {
            var tensors = [Tensor(zeros: [1], dtype: .int64)]
            #expect(try KT.interpret(kernel, &tensors, [lo, hi]) == 0)
            #expect(tensors[0].int64(at: 0) == expected)
        }
    }
}
