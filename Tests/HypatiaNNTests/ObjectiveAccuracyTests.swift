import HypatiaNN
import HypatiaTestSupport
import Testing

/// Accuracies, aggregation and the typed errors the objectives record.
@Suite struct ObjectiveAccuracyTests {
    let scores = RefArray(shape: [4, 3], values: [0.1, 0.7, 0.2, 0.5, 0.3, 0.2, 0.2, 0.3, 0.5, 0.4, 0.35, 0.25])

    @Test func binaryAccuracyThresholdsPredictions() throws {
        let predictions = RefArray(shape: [5], values: [0.2, 0.5, 0.7, 0.49, 0.9])
        let targets = RefArray(shape: [5], values: [0, 1, 0, 1, 1])
        let got = try evaluate([predictions.tensor(), targets.tensor()]) { binaryAccuracy($0[0], $0[1]) }
        expectClose(got, RefArray(shape: [5], values: [1, 1, 0, 0, 1]))
        let strict = try evaluate([predictions.tensor(), targets.tensor()]) { binaryAccuracy($0[0], $0[1], threshold: 0.8) }
        expectClose(strict, RefArray(shape: [5], values: [1, 0, 1, 0, 1]))
    }

    @Test func categoricalAccuracyTop1FromLabelsAndOneHot() throws {
        let y = [1, 1, 2, 2]
        let fromLabels = try evaluate([scores.tensor(), labels(y.map(Int32.init))]) { categoricalAccuracy($0[0], $0[1]) }
        let fromOneHot = try evaluate([scores.tensor(), oneHot(y, classes: 3).tensor()]) {
            categoricalAccuracy($0[0], $0[1])
        }
        expectClose(fromLabels, RefArray(shape: [4], values: [1, 0, 1, 0]))
        expectClose(fromOneHot, RefArray(shape: [4], values: [1, 0, 1, 0]))
    }

    @Test(arguments: [1, 2, 3])
    func categoricalAccuracyTopK(k: Int) throws {
        let y = [2, 2, 0, 2]
        let got = try evaluate([scores.tensor(), labels(y.map(Int32.init))]) { categoricalAccuracy($0[0], $0[1], topK: k) }
        let expected = y.enumerated().map { i, label -> Double in
            let r = row(scores, i)
            return r.filter { $0 > r[label] }.count < k ? 1 : 0
        }
        expectClose(got, RefArray(shape: [4], values: expected))
    }

    @Test func aggregateModes() throws {
        let loss = RefArray(shape: [4], values: [1, 2, 3, 4]), w = RefArray(shape: [4], values: [1, 0, 0.5, 2])
        let inputs = [loss.tensor(), w.tensor()]
        expectClose(try evaluate(inputs) { aggregate($0[0]) }, RefArray(scalar: 2.5))
        expectClose(try evaluate(inputs) { aggregate($0[0], mode: .sum) }, RefArray(scalar: 10))
        expectClose(try evaluate(inputs) { aggregate($0[0], weights: $0[1]) }, RefArray(scalar: 10.5 / 4))
        expectClose(try evaluate(inputs) { aggregate($0[0], weights: $0[1], mode: .sum) }, RefArray(scalar: 10.5))
        expectClose(try evaluate(inputs) { aggregate($0[0], weights: $0[1], mode: .normalizedSum) },
                    RefArray(scalar: 10.5 / 3.5))
    }

    @Test func mistakesRecordTypedErrorsWithTheCallersLine() {
        let p = matrix("p"), ints = matrix("i", dtype: .int32), floatLabels = vector("y")
        let (e1, l1) = (aggregate(vector("l"), mode: .normalizedSum), #line)
        expectRecordedError(e1, kind: .argument, op: "aggregate", line: l1)
        let (e2, l2) = (categoricalAccuracy(p, floatLabels), #line)
        expectRecordedError(e2, kind: .dtype, op: "categoricalAccuracy", line: l2)
        let (e3, l3) = (multiclassHingeLoss(tensor3("s"), vector("y", dtype: .int32)), #line)
        expectRecordedError(e3, kind: .shape, op: "multiclassHingeLoss", line: l3)
        let (e4, l4) = (binaryHingeLoss(ints, p), #line)
        expectRecordedError(e4, kind: .dtype, op: "binaryHingeLoss", line: l4)
        let (e5, l5) = (categoricalAccuracy(p, vector("y", dtype: .int32), topK: 0), #line)
        expectRecordedError(e5, kind: .argument, op: "categoricalAccuracy", line: l5)
        let (e6, l6) = (categoricalCrossentropy(p, tensor3("t")), #line)
        expectRecordedError(e6, kind: .shape, op: "categoricalCrossentropy", line: l6)
        let (e7, l7) = (multiclassHingeLoss(p, tensor3("t")), #line)
        expectRecordedError(e7, kind: .shape, op: "multiclassHingeLoss", line: l7)
    }
}
