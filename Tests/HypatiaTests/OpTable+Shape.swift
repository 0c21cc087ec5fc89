import Foundation
import Hypatia
import HypatiaTestSupport

extension OpTable {
    static let shape: [OpCase] = [
        OpCase(name: "reshape", inputs: [.float([3, 4])], build: { reshape($0[0], [2, 6]) },
               reference: { $0[0].reshaped([2, 6]) }),
        OpCase(name: "reshape with -1", inputs: [.float([3, 4])], build: { $0[0].reshape([-1, 3]) },
               reference: { $0[0].reshaped([4, 3]) }),
        OpCase(name: "flatten outdim 2", inputs: [.float([2, 3, 4])], build: { flatten($0[0], outdim: 2) },
               reference: { $0[0].reshaped([2, 12]) }),
        OpCase(name: "transpose permutation", inputs: [.float([2, 3, 4])], build: { transpose($0[0], axes: [2, 0, 1]) },
               reference: { $0[0].transposed([2, 0, 1]) }),
        OpCase(name: "dimshuffle add axis", inputs: [.float([3, 4])], build: { $0[0].dimshuffle(0, "x", 1) },
               reference: { $0[0].reshaped([3, 1, 4]) }),
        OpCase(name: "dimshuffle drop and swap", inputs: [.float([3, 1, 4])], build: { $0[0].dimshuffle(2, 0) },
               reference: { $0[0].reshaped([3, 4]).transposed([1, 0]) }),
        OpCase(name: "concatenate axis 0", inputs: [.float([2, 3]), .float([4, 3])],
               build: { concatenate([$0[0], $0[1]], axis: 0) },
               reference: { RefArray(shape: [6, 3], values: $0[0].values + $0[1].values) }),
        OpCase(name: "concatenate axis 1", inputs: [.float([3, 2]), .float([3, 1])],
               build: { concatenate([$0[0], $0[1]], axis: 1) },
               reference: { r in concatColumns(r[0], r[1]) }),
        OpCase(name: "stack axis 0", inputs: [.float([3, 4]), .float([3, 4])], build: { stack([$0[0], $0[1]], axis: 0) },
               reference: { RefArray(shape: [2, 3, 4], values: $0[0].values + $0[1].values) }),
        OpCase(name: "slice rows", inputs: [.float([4, 5])], build: { $0[0][1..<3] },
               reference: { RefArray(shape: [2, 5], values: Array($0[0].values[5..<15])) }),
        OpCase(name: "slice open ranges and index", inputs: [.float([4, 5])], build: { $0[0][2..., 1] },
               reference: { r in RefArray(shape: [2], values: [r[0].values[11], r[0].values[16]]) }),
        OpCase(name: "slice negative step", inputs: [.float([6])], build: { $0[0][Slice(start: -2, stop: nil, step: -2)] },
               reference: { r in RefArray(shape: [3], values: [r[0].values[4], r[0].values[2], r[0].values[0]]) }),
        OpCase(name: "index last row", inputs: [.float([4, 3])], build: { $0[0][-1] },
               reference: { RefArray(shape: [3], values: Array($0[0].values[9..<12])) }),
    ]

    static func concatColumns(_ a: RefArray, _ b: RefArray) -> RefArray {
        let rows = a.shape[0]
        let (ca, cb) = (a.shape[1], b.shape[1])
        var values: [Double] = []
        for i in 0..<rows {
            values += a.values[(i * ca)..<((i + 1) * ca)]
            values += b.values[(i * cb)..<((i + 1) * cb)]
        }
        return RefArray(shape: [rows, ca + cb], values: values)
    }

    static let indexing: [OpCase] = [
        OpCase(name: "advanced index rows", inputs: [.float([5, 3]), .labels([4], 0...4)],
               build: { $0[0][$0[1]] }, reference: { r in gatherRows(r[0], r[1]) }),
        OpCase(name: "advanced index p[arange(n), y]", inputs: [.float([4, 5]), .labels([4], 0...4)],
               build: { $0[0][arange(4), $0[1]] },
               reference: { r in RefArray(shape: [4], values: (0..<4).map { r[0].values[$0 * 5 + Int(r[1].values[$0])] }) }),
        OpCase(name: "setSubtensor slice", inputs: [.float([4, 3]), .float([2, 3])],
               build: { setSubtensor($0[0][1..<3], $0[1]) },
               reference: { r in RefArray(shape: [4, 3], values: Array(r[0].values[0..<3]) + r[1].values + Array(r[0].values[9..<12])) }),
        OpCase(name: "incSubtensor advanced with repeats", inputs: [.float([4, 3]), .float([5, 3]), .labels([5], 0...3)],
               build: { incSubtensor($0[0][$0[2]], $0[1]) },
               reference: { r in scatterAddRows(r[0], r[1], r[2]) }),
    ]

    static func gatherRows(_ x: RefArray, _ idx: RefArray) -> RefArray {
        let width = x.shape[1]
        let values = idx.values.flatMap { i in x.values[(Int(i) * width)..<((Int(i) + 1) * width)] }
        return RefArray(shape: [idx.values.count, width], values: values)
    }

    static func scatterAddRows(_ x: RefArray, _ v: RefArray, _ idx: RefArray) -> RefArray {
        var out = x
        let width = x.shape[1]
        for (k, i) in idx.values.enumerated() {
            for j in 0..<width { out.values[Int(i) * width + j] += v.values[k * width + j] }
        }
        return out
    }

    static let nn: [OpCase] = [
        OpCase(name: "softmax rows", inputs: [.float([3, 5], -4...4)], build: { softmax($0[0]) },
               reference: { softmaxReference($0[0], log: false) }),
        OpCase(name: "logSoftmax rows", inputs: [.float([3, 5], -4...4)], build: { logSoftmax($0[0]) },
               reference: { softmaxReference($0[0], log: true) }),
        OpCase(name: "categoricalCrossentropy int labels", inputs: [.float([4, 5]), .labels([4], 0...4)],
               build: { categoricalCrossentropy(softmax($0[0]), $0[1]) },
               reference: { r in
                   let lp = softmaxReference(r[0], log: true)
                   return RefArray(shape: [4], values: (0..<4).map { -lp.values[$0 * 5 + Int(r[1].values[$0])] })
               }),
        OpCase(name: "categoricalCrossentropy soft targets", inputs: [.float([4, 5]), .float([4, 5], 0...1)],
               build: { categoricalCrossentropy(softmax($0[0]), $0[1]) },
               reference: { r in softTargetReference(r[0], r[1]) }),
        OpCase(name: "binaryCrossentropy of sigmoid", inputs: [.float([3, 4]), .float([3, 4], 0...1)],
               build: { binaryCrossentropy(sigmoid($0[0]), $0[1]) },
               reference: { r in RefArray.broadcasting(r) { v in
                   let p = 1 / (1 + Foundation.exp(-v[0]))
                   return -(v[1] * Foundation.log(p) + (1 - v[1]) * Foundation.log(1 - p))
               } }),
    ]

    /// Row-wise cross-entropy -sum(t * log softmax(x)) of a matrix.
    static func softTargetReference(_ x: RefArray, _ t: RefArray) -> RefArray {
        let lp = softmaxReference(x, log: true)
        let (m, n) = (x.shape[0], x.shape[1])
        var values: [Double] = []
        for i in 0..<m {
            var acc = 0.0
            for j in 0..<n { acc -= t.values[i * n + j] * lp.values[i * n + j] }
            values.append(acc)
        }
        return RefArray(shape: [m], values: values)
    }

    /// Row-wise (log-)softmax of a matrix.
    static func softmaxReference(_ a: RefArray, log: Bool) -> RefArray {
        let (m, n) = (a.shape[0], a.shape[1])
        var values: [Double] = []
        for i in 0..<m {
            let row = Array(a.values[(i * n)..<((i + 1) * n)])
            let top = row.max()!
            let lse = top + Foundation.log(row.map { Foundation.exp($0 - top) }.reduce(0, +))
            values += row.map { log ? $0 - lse : Foundation.exp($0 - lse) }
        }
        return RefArray(shape: [m, n], values: values)
    }
}
