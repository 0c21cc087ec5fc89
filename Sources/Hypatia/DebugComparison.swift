import Foundation
import TensorRuntime

/// How `Mode.debug` compares a value computed by the kernels with the reference interpreter's.
///
/// Integers and bools must be equal. Floats pass when |got − want| ≤ atol + rtol·|want|, with
/// rtol 1e-4 for float32 (1e-9 for float64) and atol = rtol · max(1, the largest magnitude in
/// the result and the operands): vectorized math and reassociated reductions round differently
/// from the interpreter, by amounts that scale with the values involved. NaN matches NaN, an
/// infinity the same infinity.
enum DebugComparison {
    /// What differs between two values, for the error message.
    struct Difference: CustomStringConvertible {
        var maxAbsolute: Double = 0
        /// Over the elements whose reference value is not 0.
        var maxRelative: Double = 0
        var count = 0
        var firstIndex: [Int] = []
        var got = 0.0
        var want = 0.0
        var note: String?

        var description: String {
            if let note { return note }
            let index = "[" + firstIndex.map(String.init).joined(separator: ", ") + "]"
            return "\(count) element\(count == 1 ? "" : "s") differ; max abs difference \(format(maxAbsolute)), "
                + "max rel difference \(format(maxRelative)); first at index \(index): "
                + "kernels \(format(got)), reference \(format(want))"
        }

        private func format(_ x: Double) -> String { String(format: "%.6g", x) }
    }

    /// The relative tolerance for a dtype (0: exact).
    static func relativeTolerance(_ dtype: DType) -> Double {
        switch dtype {
        case .float32: return 1e-4
        case .float64: return 1e-9
        case .int32, .int64, .uint8, .bool: return 0
        }
    }

    /// nil if `got` matches `want`, else what differs.
    static func compare(_ got: Tensor, _ want: Tensor, operands: [Tensor]) -> Difference? {
        guard got.dtype == want.dtype, got.shape == want.shape else {
            let kernels = "\(got.dtype)\(got.shape)", reference = "\(want.dtype)\(want.shape)"
            return Difference(note: "the kernels give \(kernels), the reference \(reference)")
        }
        let rtol = relativeTolerance(want.dtype)
        if rtol == 0 {
            return differences(got, want) { i in got.int64(at: i) == want.int64(at: i) }
        }
        let scale = ([want] + operands.filter { $0.dtype == want.dtype }).map(maxMagnitude).reduce(1, max)
        let atol = rtol * scale
        return differences(got, want) { i in
            let (a, b) = (got.double(at: i), want.double(at: i))
            if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
            if a.isInfinite || b.isInfinite { return a == b }
            return Swift.abs(a - b) <= atol + rtol * Swift.abs(b)
        }
    }

    /// The elements where `matches` fails, summarized (nil if none).
    private static func differences(_ got: Tensor, _ want: Tensor, matches: (Int) -> Bool) -> Difference? {
        var result = Difference()
        for i in 0..<want.count where !matches(i) {
            let (a, b) = (got.double(at: i), want.double(at: i))
            let absolute = a.isNaN || b.isNaN ? Double.nan : Swift.abs(a - b)
            if result.count == 0 {
                result.firstIndex = multiIndex(i, want.shape)
                result.got = a
                result.want = b
            }
            result.count += 1
            if absolute.isNaN || absolute > result.maxAbsolute { result.maxAbsolute = absolute }
            guard b != 0 else { continue }   // relative differences to 0 say nothing
            let relative = absolute / Swift.abs(b)
            if relative.isNaN || relative > result.maxRelative { result.maxRelative = relative }
        }
        return result.count == 0 ? nil : result
    }

    /// The largest finite magnitude among the tensor's elements.
    private static func maxMagnitude(_ t: Tensor) -> Double {
        var largest = 0.0
        for i in 0..<t.count {
            let x = Swift.abs(t.double(at: i))
            if x.isFinite, x > largest { largest = x }
        }
        return largest
    }

    /// The row-major index of flat position `i`.
    static func multiIndex(_ i: Int, _ shape: [Int]) -> [Int] {
        var rest = i
        var index = [Int](repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }
}
