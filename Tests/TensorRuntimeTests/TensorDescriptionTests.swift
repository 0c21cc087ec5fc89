import Testing
@testable import TensorRuntime

@Suite("Tensor description")
struct TensorDescriptionTests {
    struct Golden: Sendable, CustomStringConvertible {
        let name: String
        let tensor: Tensor
        let text: String
        var description: String { name }
    }

    static func arange(_ shape: [Int], _ dtype: DType) -> Tensor {
        let n = shape.reduce(1, *)
        return try! Tensor(shape: shape, values: (0..<n).map(Double.init), dtype: dtype)
    }

    static let goldens: [Golden] = [
        Golden(name: "matrix", tensor: try! Tensor(shape: [2, 3], scalars: [Float(1), 2, 3, 4, 5, 6]),
               text: "Tensor(shape: [2, 3], dtype: float32)\n[[1, 2, 3],\n [4, 5, 6]]"),
        Golden(name: "scalar", tensor: Tensor(1.5, dtype: .float64),
               text: "Tensor(shape: [], dtype: float64)\n1.5"),
        Golden(name: "rank 3", tensor: arange([2, 2, 2], .int32),
               text: "Tensor(shape: [2, 2, 2], dtype: int32)\n[[[0, 1],\n  [2, 3]],\n\n [[4, 5],\n  [6, 7]]]"),
        Golden(name: "padded floats", tensor: Tensor([Float(0.5), -1, 10]),
               text: "Tensor(shape: [3], dtype: float32)\n[ 0.5, -1.0, 10.0]"),
        Golden(name: "float32 shortest", tensor: Tensor([Float(0.1), 0.25]),
               text: "Tensor(shape: [2], dtype: float32)\n[ 0.1, 0.25]"),
        Golden(name: "non-finite", tensor: Tensor([Float.nan, .infinity, -.infinity, 1]),
               text: "Tensor(shape: [4], dtype: float32)\n[ nan,  inf, -inf,    1]"),
        Golden(name: "bool", tensor: Tensor([true, false]),
               text: "Tensor(shape: [2], dtype: bool)\n[ true, false]"),
        Golden(name: "empty", tensor: Tensor(zeros: [2, 0], dtype: .uint8),
               text: "Tensor(shape: [2, 0], dtype: uint8)\n[]"),
        Golden(name: "long vector", tensor: arange([2000], .int64),
               text: "Tensor(shape: [2000], dtype: int64)\n[   0,    1,    2, ..., 1997, 1998, 1999]"),
        Golden(name: "summarised matrix", tensor: arange([10, 200], .float32),
               text: """
               Tensor(shape: [10, 200], dtype: float32)
               [[   0,    1,    2, ...,  197,  198,  199],
                [ 200,  201,  202, ...,  397,  398,  399],
                [ 400,  401,  402, ...,  597,  598,  599],
                ...,
                [1400, 1401, 1402, ..., 1597, 1598, 1599],
                [1600, 1601, 1602, ..., 1797, 1798, 1799],
                [1800, 1801, 1802, ..., 1997, 1998, 1999]]
               """),
    ]

    @Test(arguments: goldens)
    func descriptionMatchesGolden(_ golden: Golden) {
        #expect(golden.tensor.description == golden.text)
    }

    @Test func debugDescriptionIsOneLine() throws {
        let t = try Tensor(shape: [2, 2], scalars: [Int32(1), 2, 3, 4])
        #expect(t.debugDescription == "Tensor(shape: [2, 2], dtype: int32, [[1, 2], [3, 4]])")
        #expect(!Self.arange([10, 200], .float32).debugDescription.contains("\n"))
    }

    @Test func smallTensorsAreNotSummarised() {
        let text = Self.arange([1000], .int32).description
        #expect(!text.contains("..."))
        #expect(text.hasSuffix("998, 999]"))
    }
}
