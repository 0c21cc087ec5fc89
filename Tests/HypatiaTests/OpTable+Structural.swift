import Foundation
import Hypatia
import HypatiaTestSupport

extension OpTable {
    static func reduction(_ name: String, axis: Int?, keepDims: Bool = false, range: ClosedRange<Double> = -2...2,
                          differentiable: Bool = true,
                          _ build: @escaping @Sendable (Variable) -> Variable,
                          initial: Double, _ combine: @escaping @Sendable (Double, Double) -> Double,
                          finish: @escaping @Sendable (RefArray, Int) -> RefArray = { a, _ in a }) -> OpCase {
        OpCase(name: name, inputs: [.float([3, 4, 2], range)], build: { build($0[0]) }, reference: { refs in
            let r = refs[0].reduce(axes: axis.map { [$0] }, keepDims: keepDims, initial: initial, combine)
            let n = axis.map { refs[0].shape[$0 < 0 ? $0 + 3 : $0] } ?? refs[0].values.count
            return finish(r, n)
        }, differentiable: differentiable)
    }

    static let reductions: [OpCase] = [
        reduction("sum all", axis: nil, { $0.sum() }, initial: 0, +),
        reduction("sum axis 1", axis: 1, { $0.sum(axis: 1) }, initial: 0, +),
        reduction("sum axis -1 keepDims", axis: -1, keepDims: true, { $0.sum(axis: -1, keepDims: true) }, initial: 0, +),
        reduction("mean axis 0", axis: 0, { $0.mean(axis: 0) }, initial: 0, +, finish: { a, n in a.map { $0 / Double(n) } }),
        reduction("mean all", axis: nil, { mean($0) }, initial: 0, +, finish: { a, n in a.map { $0 / Double(n) } }),
        reduction("prod axis 2", axis: 2, range: 0.5...1.5, { $0.prod(axis: 2) }, initial: 1, *),
        reduction("max axis 1", axis: 1, { $0.max(axis: 1) }, initial: -.infinity, { Swift.max($0, $1) }),
        reduction("min axis 0 keepDims", axis: 0, keepDims: true, { $0.min(axis: 0, keepDims: true) },
                  initial: .infinity, { Swift.min($0, $1) }),
        OpCase(name: "argmax axis 1", inputs: [.float([3, 4])], build: { cast(argmax($0[0], axis: 1), to: .float64) },
               reference: { argReference($0[0], >) }, differentiable: false),
        OpCase(name: "argmin axis 1", inputs: [.float([3, 4])], build: { cast(argmin($0[0], axis: 1), to: .float64) },
               reference: { argReference($0[0], <) }, differentiable: false),
        OpCase(name: "variance axis 1", inputs: [.float([3, 4])], build: { variance($0[0], axis: 1) },
               reference: { momentReference($0[0], ddof: 0, root: false) }),
        OpCase(name: "std axis 1 ddof 1", inputs: [.float([3, 4])], build: { std($0[0], axis: 1, ddof: 1) },
               reference: { momentReference($0[0], ddof: 1, root: true) }),
    ]

    /// Row-wise index of the first extreme value of a matrix.
    static func argReference(_ a: RefArray, _ better: (Double, Double) -> Bool) -> RefArray {
        let (m, n) = (a.shape[0], a.shape[1])
        let values = (0..<m).map { i -> Double in
            var best = 0
            for j in 1..<n where better(a.values[i * n + j], a.values[i * n + best]) { best = j }
            return Double(best)
        }
        return RefArray(shape: [m], values: values)
    }

    /// Row-wise variance (or standard deviation) of a matrix.
    static func momentReference(_ a: RefArray, ddof: Int, root: Bool) -> RefArray {
        let (m, n) = (a.shape[0], a.shape[1])
        let values = (0..<m).map { i -> Double in
            let row = a.values[(i * n)..<((i + 1) * n)]
            let mu = row.reduce(0, +) / Double(n)
            let v = row.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(n - ddof)
            return root ? v.squareRoot() : v
        }
        return RefArray(shape: [m], values: values)
    }

    static let linalg: [OpCase] = [
        OpCase(name: "dot matrix matrix", inputs: [.float([3, 5]), .float([5, 4])], build: { dot($0[0], $0[1]) },
               reference: { $0[0].matmul($0[1]) }),
        OpCase(name: "dot matrix vector", inputs: [.float([3, 5]), .float([5])], build: { dot($0[0], $0[1]) },
               reference: { r in r[0].matmul(RefArray(shape: [5, 1], values: r[1].values)).reshaped([3]) }),
        OpCase(name: "dot vector matrix", inputs: [.float([5]), .float([5, 4])], build: { dot($0[0], $0[1]) },
               reference: { r in RefArray(shape: [1, 5], values: r[0].values).matmul(r[1]).reshaped([4]) }),
        OpCase(name: "dot vector vector", inputs: [.float([5]), .float([5])], build: { dot($0[0], $0[1]) },
               reference: { r in RefArray(scalar: zip(r[0].values, r[1].values).map(*).reduce(0, +)) }),
        OpCase(name: "dot with transposed operand", inputs: [.float([5, 3]), .float([5, 4])],
               build: { dot($0[0].T, $0[1]) }, reference: { $0[0].transposed([1, 0]).matmul($0[1]) }),
        OpCase(name: "batchedDot", inputs: [.float([2, 3, 5]), .float([2, 5, 4])], build: { batchedDot($0[0], $0[1]) },
               reference: { r in batchedReference(r[0], r[1]) }),
        OpCase(name: "outer", inputs: [.float([3]), .float([4])], build: { outer($0[0], $0[1]) },
               reference: { r in RefArray(shape: [3, 1], values: r[0].values).matmul(RefArray(shape: [1, 4], values: r[1].values)) }),
    ]

    static func batchedReference(_ a: RefArray, _ b: RefArray) -> RefArray {
        let (bs, m, k, n) = (a.shape[0], a.shape[1], a.shape[2], b.shape[2])
        var values: [Double] = []
        for i in 0..<bs {
            let x = RefArray(shape: [m, k], values: Array(a.values[(i * m * k)..<((i + 1) * m * k)]))
            let y = RefArray(shape: [k, n], values: Array(b.values[(i * k * n)..<((i + 1) * k * n)]))
            values += x.matmul(y).values
        }
        return RefArray(shape: [bs, m, n], values: values)
    }
}

extension RefArray {
    /// The same values with another shape.
    func reshaped(_ shape: [Int]) -> RefArray { RefArray(shape: shape, values: values) }
}
