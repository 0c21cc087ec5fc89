import HypatiaNN
import HypatiaTestSupport
import Testing

/// Compiles `build` over symbolic inputs shaped and typed like `values`, runs it once and
/// returns the output as float64.
func evaluate(_ values: [Tensor], _ build: ([Variable]) -> Variable) throws -> RefArray {
    let inputs = values.enumerated().map { i, value in
        tensor("in\(i)", dtype: value.dtype, shape: value.shape.map { $0 })
    }
    let f = try function(inputs: inputs, outputs: [build(inputs)])
    return RefArray(try f.call(values)[0])
}

/// Expects `actual` to have `expected`'s shape and values (relative tolerance `rtol`).
func expectClose(_ actual: RefArray, _ expected: RefArray, rtol: Double = 1e-10, atol: Double = 1e-12,
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(actual.shape == expected.shape, sourceLocation: sourceLocation)
    #expect(closeness(actual.values, expected.values, rtol: rtol, atol: atol) <= 1,
            "got \(actual.values), expected \(expected.values)", sourceLocation: sourceLocation)
}

/// Expects building/compiling `variable` to throw a GraphError of `kind` naming `op` at `line`.
func expectRecordedError(_ variable: Variable, kind: GraphError.Kind, op: String, line: Int,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    do {
        try variable.check()
        Issue.record("expected a \(kind) error from \(op)", sourceLocation: sourceLocation)
    } catch let error as GraphError {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        #expect(error.op == op, "\(error)", sourceLocation: sourceLocation)
        #expect(error.location?.line == line, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}

/// Int32 labels as a tensor.
func labels(_ values: [Int32]) -> Tensor {
    Tensor(values)
}

/// One-hot float64 rows for `labels` over `classes`.
func oneHot(_ labels: [Int], classes: Int) -> RefArray {
    RefArray(shape: [labels.count, classes],
             values: labels.flatMap { y in (0..<classes).map { $0 == y ? 1.0 : 0.0 } })
}

/// Row `i` of a rank-2 array.
func row(_ a: RefArray, _ i: Int) -> [Double] {
    Array(a.values[(i * a.shape[1])..<((i + 1) * a.shape[1])])
}
