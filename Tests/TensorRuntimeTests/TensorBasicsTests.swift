import Testing
@testable import TensorRuntime

@Suite("Tensor basics")
struct TensorBasicsTests {
    @Test func initWithWrongCountThrows() {
        expectTensorError(.scalarCount) { _ = try Tensor(shape: [2, 3], scalars: [Float](repeating: 0, count: 5)) }
        expectTensorError(.scalarCount) { _ = try Tensor(shape: [2], values: [1, 2, 3], dtype: .int32) }
        expectTensorError(.shape) { _ = try Tensor(shape: [-1], scalars: [Float]()) }
    }

    @Test func copyOnWriteLeavesTheOriginal() throws {
        let a = try Tensor(shape: [2, 2], scalars: [Float(1), 2, 3, 4])
        var b = a
        b.setDouble(9, at: 0)
        b[1, 1] = 7
        #expect(a.scalars == [1, 2, 3, 4])
        #expect(b.scalars == [9, 2, 3, 7])
        var c = a
        c.withUnsafeMutableBufferPointer(as: Float.self) { $0[1] = -1 }
        #expect(a.scalars == [1, 2, 3, 4])
        #expect(c.scalars == [1, -1, 3, 4])
    }

    @Test func scalarsAsConvertsLikeACCast() throws {
        let f = try Tensor(shape: [4], scalars: [Float(1.9), -1.9, 0, 255.5])
        #expect(f.scalars(as: Int32.self) == [1, -1, 0, 255])
        #expect(f.scalars(as: Bool.self) == [true, true, false, true])
        let i = try Tensor(shape: [3], scalars: [Int64(300), -1, 7])
        #expect(i.scalars(as: UInt8.self) == [44, 255, 7])
        #expect(i.scalars(as: Double.self) == [300, -1, 7])
    }

    @Test func equalityComparesDtypeShapeAndBytes() throws {
        let a = try Tensor(shape: [2], scalars: [Int32(1), 2])
        #expect(a == (try Tensor(shape: [2], scalars: [Int32(1), 2])))
        #expect(a != (try Tensor(shape: [2], scalars: [Int64(1), 2])))
        #expect(a != (try Tensor(shape: [1, 2], scalars: [Int32(1), 2])))
        #expect(a != (try Tensor(shape: [2], scalars: [Int32(1), 3])))
        #expect(Set([a, a]).count == 1)
    }

    @Test func subscriptReadsAndWritesFullIndices() throws {
        var t = try Tensor(shape: [2, 3], scalars: [Int32(1), 2, 3, 4, 5, 6])
        #expect(t[0, 0] == 1)
        #expect(t[1, 2] == 6)
        #expect(t[1, 0] == 4)
        t[0, 1] = 2.9  // truncates into int32
        #expect(t[0, 1] == 2)
        #expect(Tensor(Float(2.5))[] == 2.5)
    }
}

@Suite("Tensor conversion")
struct TensorConversionTests {
    struct Case: Sendable, CustomStringConvertible {
        let source: Tensor
        let target: DType
        let expected: [Double]
        var description: String { "\(source.dtype) → \(target)" }
    }

    static let nanCase = try! Tensor(shape: [5], scalars: [1.7, -1.7, Double.nan, 300.5, -0.5])
    static let wideInts = try! Tensor(shape: [4], scalars: [Int64(300), -1, 0, 1 << 40])

    static let cases: [Case] = [
        Case(source: nanCase, target: .int32, expected: [1, -1, 0, 300, 0]),
        Case(source: nanCase, target: .int64, expected: [1, -1, 0, 300, 0]),
        Case(source: nanCase, target: .uint8, expected: [1, 255, 0, 44, 0]),
        Case(source: nanCase, target: .bool, expected: [1, 1, 1, 1, 1]),
        Case(source: nanCase, target: .float32, expected: [Double(Float(1.7)), Double(Float(-1.7)), .nan, 300.5, -0.5]),
        Case(source: wideInts, target: .uint8, expected: [44, 255, 0, 0]),
        Case(source: wideInts, target: .int32, expected: [300, -1, 0, 0]),
        Case(source: wideInts, target: .float32, expected: [300, -1, 0, 1_099_511_627_776]),
        Case(source: wideInts, target: .bool, expected: [1, 1, 0, 1]),
        Case(source: Tensor([true, false]), target: .float64, expected: [1, 0]),
        Case(source: Tensor([UInt8(255), 0]), target: .int32, expected: [255, 0]),
    ]

    @Test(arguments: cases)
    func convertedUsesCCastSemantics(_ c: Case) {
        let result = c.source.converted(to: c.target)
        #expect(result.dtype == c.target)
        #expect(result.shape == c.source.shape)
        for (got, want) in zip(result.scalars, c.expected) {
            #expect(got == want || (got.isNaN && want.isNaN), "\(c): got \(result.scalars), want \(c.expected)")
        }
    }

    @Test func convertingToTheSameDtypeIsIdentity() {
        let t = Tensor([Float(1), 2])
        #expect(t.converted(to: .float32) == t)
    }

    @Test func reshapedSharesStorageAndInfersOneExtent() throws {
        let t = try Tensor(shape: [2, 3], scalars: [Float(1), 2, 3, 4, 5, 6])
        let r = try t.reshaped(to: [3, -1])
        #expect(r.shape == [3, 2])
        #expect(r.scalars == t.scalars)
        #expect(r.storage === t.storage)
        #expect(try t.reshaped(to: [-1]).shape == [6])
        #expect(try t.reshaped(to: [1, -1, 3]).shape == [1, 2, 3])
        #expect(try Tensor(Float(1)).reshaped(to: [1, 1]).shape == [1, 1])
        #expect(try Tensor(zeros: [0, 4]).reshaped(to: [2, 0, 3]).shape == [2, 0, 3])
    }

    @Test(arguments: [[4], [-1, -1], [2, -2], [4, -1], [0, -1], [7]])
    func reshapedRejectsBadShapes(_ shape: [Int]) throws {
        let t = try Tensor(shape: [2, 3], scalars: [Float](repeating: 0, count: 6))
        expectTensorError(.shape) { _ = try t.reshaped(to: shape) }
    }

    @Test func rowsGathersAlongTheFirstAxis() throws {
        let t = try Tensor(shape: [3, 2], scalars: [Int32(1), 2, 3, 4, 5, 6])
        let g = try t.rows([2, 0, 2])
        #expect(g == (try Tensor(shape: [3, 2], scalars: [Int32(5), 6, 1, 2, 5, 6])))
        #expect(try t.rows([]).shape == [0, 2])
        let v = try Tensor([Double(10), 20, 30]).rows([1])
        #expect(v.shape == [1] && v.scalars == [20])
        expectTensorError(.shape) { _ = try t.rows([3]) }
        expectTensorError(.shape) { _ = try t.rows([-1]) }
        expectTensorError(.shape) { _ = try Tensor(Float(1)).rows([0]) }
    }

    @Test func allCloseFollowsNumpy() throws {
        let a = Tensor([Float(1), 2, 3])
        #expect(a.allClose(to: Tensor([Double(1), 2, 3.00001])))
        #expect(!a.allClose(to: Tensor([Double(1), 2, 3.1])))
        #expect(a.allClose(to: Tensor([Double(1), 2, 3.1]), atol: 0.2))
        #expect(!a.allClose(to: Tensor([Float(1), 2])))
        let n = Tensor([Double.nan, .infinity])
        #expect(!n.allClose(to: n))
        #expect(n.allClose(to: n, equalNaN: true))
        #expect(!n.allClose(to: Tensor([Double.nan, -.infinity]), equalNaN: true))
    }
}
