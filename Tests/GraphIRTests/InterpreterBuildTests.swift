import Foundation
import Testing
import TensorRuntime
@testable import GraphIR

/// End-to-end runs of graphs made by the `Build` constructors (broadcasting, promotion,
/// composite losses) against float64 references written out in the test.
@Suite struct InterpreterBuildTests {
    /// Softmax regression forward pass as in the MNIST example: cost and error rate.
    @Test func logisticRegressionForward() throws {
        let loc = IT.loc
        let x = Build.input("x", dtype: .float32, shape: [nil, 4], at: loc)
        let y = Build.input("y", dtype: .int32, shape: [nil], at: loc)
        let w = Build.input("W", dtype: .float32, shape: [4, 3], at: loc)
        let b = Build.input("b", dtype: .float32, shape: [3], at: loc)
        let p = Build.softmax(Build.binary(.add, Build.dot(x, w, at: loc), b, at: loc), axis: 1, at: loc)
        let cost = Build.reduce(.mean, Build.categoricalCrossentropy(p, y, at: loc), axes: nil, keepDims: false, at: loc)
        let predicted = Build.argmax(p, axis: 1, keepDims: false, at: loc)
        let wrong = Build.reduce(.mean, Build.binary(.neq, predicted, y, at: loc), axes: nil, keepDims: false, at: loc)
        try cost.check()
        try wrong.check()

        let n = 5
        let xs = (0..<(n * 4)).map { Double(Float(Double(($0 * 7) % 11) * 0.1 - 0.4)) }
        let ws = (0..<12).map { Double(Float(Double(($0 * 5) % 9) * 0.2 - 0.7)) }
        let bs: [Double] = [0.1, -0.2, 0.05]
        let labels = [0, 2, 1, 1, 0]
        let graph = Graph(name: "lr", inputs: [x, y, w, b], outputs: [cost, wrong], outputCount: 2)
        let out = try ReferenceBackend().compile(graph).run([
            IT.t([n, 4], xs, .float32), IT.vec(labels.map(Double.init), .int32),
            IT.t([4, 3], ws, .float32), IT.vec(bs, .float32),
        ])

        var totalLoss = 0.0, errors = 0.0
        for i in 0..<n {
            let logits = (0..<3).map { j in bs[j] + (0..<4).reduce(0) { $0 + xs[i * 4 + $1] * ws[$1 * 3 + j] } }
            let top = logits.max()!
            let logSum = Foundation.log(logits.reduce(0) { $0 + Foundation.exp($1 - top) }) + top
            totalLoss += logSum - logits[labels[i]]
            if logits.firstIndex(of: top)! != labels[i] { errors += 1 }
        }
        #expect(out[0].dtype == .float32 && out[0].shape == [])
        #expect(Swift.abs(out[0].scalar - totalLoss / Double(n)) < 1e-6, "\(out[0].scalar) vs \(totalLoss / Double(n))")
        #expect(out[1].scalar == Double(Float(errors / Double(n))))
    }

    /// An integer tensor mixed with a float32 one promotes; the empty batch still runs.
    @Test func promotionAndEmptyBatch() throws {
        let loc = IT.loc
        let x = Build.input("x", dtype: .float32, shape: [nil, 2], at: loc)
        let k = Build.input("k", dtype: .int32, shape: [2], at: loc)
        let scaled = Build.binary(.mul, x, k, at: loc)
        let total = Build.reduce(.sum, scaled, axes: [0], keepDims: false, at: loc)
        try total.check()
        let graph = Graph(name: "f", inputs: [x, k], outputs: [scaled, total], outputCount: 2)
        let exe = try ReferenceBackend().compile(graph)
        let out = try exe.run([IT.t([2, 2], [1, 2, 3, 4], .float32), IT.vec([10, -1], .int32)])
        #expect(out[0] == IT.t([2, 2], [10, -2, 30, -4], .float32))
        #expect(out[1] == IT.vec([40, -6], .float32))
        let empty = try exe.run([IT.t([0, 2], [], .float32), IT.vec([10, -1], .int32)])
        #expect(empty[0].shape == [0, 2] && empty[1] == IT.vec([0, 0], .float32))
    }
}
