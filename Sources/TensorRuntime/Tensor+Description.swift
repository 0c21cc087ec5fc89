/// Numpy-style printing of tensors.
///
/// `description` prints a header line and the elements nested by axis, like `numpy.array`'s
/// `str`: `Tensor(shape: [2, 3], dtype: float32)` then `[[1, 2, 3],\n [4, 5, 6]]`. Tensors of
/// more than `TensorFormatter.threshold` elements are summarised: each axis longer than
/// `2 * edgeItems` shows its first and last `edgeItems` entries around `...`. Rows are not
/// wrapped at a line width (numpy wraps at 75 columns).
extension Tensor: CustomStringConvertible, CustomDebugStringConvertible {
    /// A header naming shape and dtype, then the elements laid out like numpy.
    public var description: String {
        "Tensor(shape: \(shape), dtype: \(dtype))\n" + TensorFormatter(self).render()
    }

    /// A one-line form: `Tensor(shape: [2, 2], dtype: int32, [[1, 2], [3, 4]])`.
    public var debugDescription: String {
        let body = TensorFormatter(self).render().split(separator: "\n").map {
            $0.drop(while: { $0 == " " })
        }.joined(separator: " ")
        return "Tensor(shape: \(shape), dtype: \(dtype), \(body))"
    }
}

/// Lays out a tensor's elements as nested, bracketed rows (numpy's `array2string`).
package struct TensorFormatter {
    /// Tensors with more elements than this are summarised with `...`.
    package static let threshold = 1000
    /// How many leading and trailing entries a summarised axis shows.
    package static let edgeItems = 3

    private let tensor: Tensor
    private let summarise: Bool
    private let strides: [Int]
    /// Element text by flat index, for the elements that are shown.
    private var texts: [Int: String] = [:]
    private var width = 0

    /// Prepares the layout of `tensor`: picks the shown elements and a common width.
    package init(_ tensor: Tensor) {
        self.tensor = tensor
        summarise = tensor.count > Self.threshold
        var strides = [Int](repeating: 1, count: tensor.rank)
        for axis in stride(from: tensor.rank - 2, through: 0, by: -1) {
            strides[axis] = strides[axis + 1] * tensor.shape[axis + 1]
        }
        self.strides = strides
        guard tensor.count > 0 else { return }
        var shown: [Int] = []
        collect(axis: 0, offset: 0, into: &shown)
        let style = ElementStyle(tensor: tensor, indices: shown)
        for i in shown { texts[i] = style.text(tensor, at: i) }
        width = texts.values.map(\.count).max() ?? 0
    }

    /// The indices along `axis` that are printed; `nil` stands for the `...` gap.
    private func shownIndices(axis: Int) -> [Int?] {
        let n = tensor.shape[axis]
        let edge = Self.edgeItems
        guard summarise, n > 2 * edge else { return (0..<n).map { $0 } }
        return (0..<edge).map { $0 } + [nil] + ((n - edge)..<n).map { $0 }
    }

    private func collect(axis: Int, offset: Int, into shown: inout [Int]) {
        if axis == tensor.rank { shown.append(offset); return }
        for case let i? in shownIndices(axis: axis) {
            collect(axis: axis + 1, offset: offset + i * strides[axis], into: &shown)
        }
    }

    /// The bracketed text of all elements (`[]` for an empty tensor).
    package func render() -> String {
        guard tensor.count > 0 else { return "[]" }
        return render(axis: 0, offset: 0)
    }

    private func render(axis: Int, offset: Int) -> String {
        if axis == tensor.rank { return pad(texts[offset] ?? "?") }
        let items = shownIndices(axis: axis).map { index -> String in
            guard let index else { return "..." }
            return render(axis: axis + 1, offset: offset + index * strides[axis])
        }
        if axis == tensor.rank - 1 { return "[" + items.joined(separator: ", ") + "]" }
        let blankLines = String(repeating: "\n", count: tensor.rank - axis - 1)
        let indent = String(repeating: " ", count: axis + 1)
        return "[" + items.joined(separator: "," + blankLines + indent) + "]"
    }

    private func pad(_ text: String) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// How the shown elements of one tensor are spelled, chosen once for all of them.
private struct ElementStyle {
    /// True when every shown float is integral, so `1.0` prints as `1` (numpy prints `1.`).
    let integralFloats: Bool

    init(tensor: Tensor, indices: [Int]) {
        guard tensor.dtype.isFloatingPoint else { integralFloats = false; return }
        integralFloats = indices.allSatisfy { i in
            let v = tensor.double(at: i)
            return !v.isFinite || (v.rounded() == v && abs(v) < 1e16)
        }
    }

    func text(_ tensor: Tensor, at i: Int) -> String {
        switch tensor.dtype {
        case .float32, .float64:
            return floatText(tensor.double(at: i), single: tensor.dtype == .float32)
        case .int32, .int64, .uint8:
            return String(tensor.int64(at: i))
        case .bool:
            return tensor.int64(at: i) != 0 ? "true" : "false"
        }
    }

    private func floatText(_ v: Double, single: Bool) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        if integralFloats { return String(Int64(v)) }
        return single ? Float(v).description : v.description
    }
}
