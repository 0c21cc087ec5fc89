import Foundation
import Hypatia  // imported directly too: no name of HypatiaNN may clash with Hypatia
import HypatiaNN
import HypatiaTestSupport
import Testing

/// Cross-entropies, squared error and hinge losses against float64 references, with
/// gradients checked numerically.
@Suite struct ObjectiveLossTests {
    let p = RandomData.uniform([4, 3], in: 0.05...0.95, seed: 1)
    let t = RandomData.uniform([4, 3], in: 0...1, seed: 2)

    @Test func binaryCrossentropyMatchesReference() throws {
        let got = try evaluate([p.tensor(), t.tensor()]) { binaryCrossentropy($0[0], $0[1]) }
        let expected = RefArray.broadcasting([p, t]) { -($0[1] * Foundation.log($0[0]) + (1 - $0[1]) * Foundation.log(1 - $0[0])) }
        expectClose(got, expected)
        let check = try checkGradient({ binaryCrossentropy($0[0], $0[1]).sum() }, at: [p.tensor(), t.tensor()])
        #expect(check.largestError < 1e-6)
    }

    @Test func binaryCrossentropyAlignsAColumnWithAVector() throws {
        let column = RefArray(shape: [4, 1], values: [0.1, 0.4, 0.7, 0.9])
        let targets = RefArray(shape: [4], values: [0, 1, 1, 0])
        let got = try evaluate([column.tensor(), targets.tensor()]) { binaryCrossentropy($0[0], $0[1]) }
        let expected = zip(column.values, targets.values).map { -($1 * Foundation.log($0) + (1 - $1) * Foundation.log(1 - $0)) }
        expectClose(got, RefArray(shape: [4, 1], values: expected))
    }

    @Test func crossentropiesOfSaturatedOutputsStayFinite() throws {
        let z = RefArray(shape: [2, 2], values: [60, -60, -45, 45])
        let y = RefArray(shape: [2, 2], values: [0, 1, 1, 0])
        let binary = try evaluate([z.tensor(.float32), y.tensor(.float32)]) { binaryCrossentropy(sigmoid($0[0]), $0[1]) }
        expectClose(binary, RefArray(shape: [2, 2], values: [60, 60, 45, 45]), rtol: 1e-5)
        let categorical = try evaluate([z.tensor(.float32), labels([1, 0])]) {
            categoricalCrossentropy(softmax($0[0]), $0[1])
        }
        expectClose(categorical, RefArray(shape: [2], values: [120, 90]), rtol: 1e-5)
    }

    @Test func categoricalCrossentropyTakesLabelsOrOneHot() throws {
        let probabilities = RandomData.uniform([3, 4], in: 0.05...1, seed: 3)
        let y = [2, 0, 3]
        let fromLabels = try evaluate([probabilities.tensor(), labels(y.map(Int32.init))]) {
            categoricalCrossentropy($0[0], $0[1])
        }
        let fromOneHot = try evaluate([probabilities.tensor(), oneHot(y, classes: 4).tensor()]) {
            categoricalCrossentropy($0[0], $0[1])
        }
        let expected = RefArray(shape: [3], values: y.enumerated().map { -Foundation.log(row(probabilities, $0)[$1]) })
        expectClose(fromLabels, expected)
        expectClose(fromOneHot, expected)
    }

    @Test func squaredErrorMatchesReferenceAndAligns() throws {
        let got = try evaluate([p.tensor(), t.tensor()]) { squaredError($0[0], $0[1]) }
        expectClose(got, RefArray.broadcasting([p, t]) { ($0[0] - $0[1]) * ($0[0] - $0[1]) })
        let column = RefArray(shape: [3, 1], values: [1, 2, 3]), vector = RefArray(shape: [3], values: [0, 2, 5])
        let aligned = try evaluate([column.tensor(), vector.tensor()]) { squaredError($0[0], $0[1]) }
        expectClose(aligned, RefArray(shape: [3, 1], values: [1, 0, 4]))
        let check = try checkGradient({ squaredError($0[0], $0[1]).sum() }, at: [p.tensor(), t.tensor()])
        #expect(check.largestError < 1e-6)
    }

    @Test(arguments: [(true, true), (true, false), (false, true), (false, false)])
    func binaryHingeLossMatchesReference(logOdds: Bool, binary: Bool) throws {
        let predictions = logOdds ? RefArray(shape: [5], values: [-2, -0.3, 0.4, 1.7, 0.2])
                                  : RefArray(shape: [5], values: [0.1, 0.35, 0.6, 0.9, 0.55])
        let targets = binary ? RefArray(shape: [5], values: [0, 1, 1, 0, 1])
                             : RefArray(shape: [5], values: [-1, 1, 1, -1, 1])
        let got = try evaluate([predictions.tensor(), targets.tensor()]) {
            binaryHingeLoss($0[0], $0[1], delta: 0.8, logOdds: logOdds, binary: binary)
        }
        let expected = RefArray.broadcasting([predictions, targets]) { v in
            let score = logOdds ? v[0] : Foundation.log(v[0] / (1 - v[0]))
            let sign = binary ? 2 * v[1] - 1 : v[1]
            return Swift.max(0, 0.8 - score * sign)
        }
        expectClose(got, expected)
        let check = try checkGradient({
            binaryHingeLoss($0[0], $0[1], delta: 0.8, logOdds: logOdds, binary: binary).sum()
        }, at: [predictions.tensor(), targets.tensor()])
        #expect(check.largestError < 1e-6)
    }

    @Test func multiclassHingeLossTakesLabelsOrOneHot() throws {
        let scores = RefArray(shape: [3, 4], values: [1, 0.2, -0.5, 0.7, 0.1, 2, 1.6, -1, 0.3, 0.9, 0.2, 0.8])
        let y = [0, 1, 3]
        let expected = RefArray(shape: [3], values: y.enumerated().map { i, label in
            let r = row(scores, i)
            let others = r.enumerated().filter { $0.offset != label }.map(\.element).max()!
            return Swift.max(0, others - r[label] + 0.5)
        })
        let fromLabels = try evaluate([scores.tensor(), labels(y.map(Int32.init))]) {
            multiclassHingeLoss($0[0], $0[1], delta: 0.5)
        }
        let fromOneHot = try evaluate([scores.tensor(), oneHot(y, classes: 4).tensor()]) {
            multiclassHingeLoss($0[0], $0[1], delta: 0.5)
        }
        expectClose(fromLabels, expected)
        expectClose(fromOneHot, expected)
        let labelConstant = constant(labels(y.map(Int32.init)))
        let check = try checkGradient({ multiclassHingeLoss($0[0], labelConstant, delta: 0.5).sum() },
                                      at: [scores.tensor()])
        #expect(check.largestError < 1e-6)
    }

    @Test func penaltiesMatchLasagne() throws {
        let x = RandomData.uniform([3, 2], in: -1...1, seed: 4)
        let got1 = try evaluate([x.tensor()]) { l1($0[0]) }
        let got2 = try evaluate([x.tensor()]) { l2($0[0]) }
        expectClose(got1, RefArray(scalar: x.values.map(Swift.abs).reduce(0, +)))
        expectClose(got2, RefArray(scalar: x.values.map { $0 * $0 }.reduce(0, +)))
        let both = try evaluate([x.tensor(), p.tensor()]) { applyPenalty($0, l2) }
        expectClose(both, RefArray(scalar: (x.values + p.values).map { $0 * $0 }.reduce(0, +)))
        let check = try checkGradient({ l1($0[0]) + l2($0[0]) }, at: [x.tensor()])
        #expect(check.largestError < 1e-6)
    }
}
