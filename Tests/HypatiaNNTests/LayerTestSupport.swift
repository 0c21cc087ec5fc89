import HypatiaNN
import HypatiaTestSupport
import Testing

/// Compiles `getOutput(layer)` as a function of the network's input layer and runs it on `x`.
func evaluate(_ layer: any Layer, input: InputLayer, _ x: Tensor, deterministic: Bool = true) throws -> Tensor {
    let f = try function(inputs: [input.input], outputs: [getOutput(layer, deterministic: deterministic)])
    return try f(x)[0]
}

/// Random float32 data of `shape` in [-1, 1] as a Tensor and its float64 reference.
func randomInput(_ shape: [Int], seed: UInt64) -> (Tensor, RefArray) {
    let ref = RandomData.uniform(shape, in: -1...1, seed: seed)
    let tensor = ref.tensor(.float32)
    return (tensor, RefArray(tensor))
}

/// Expects `actual` to have the reference's shape and values within float32 tolerances.
func expectClose(_ actual: Tensor, _ expected: RefArray, rtol: Double = 1e-5, atol: Double = 1e-5,
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(actual.shape == expected.shape, sourceLocation: sourceLocation)
    let worst = closeness(actual.scalars, expected.values, rtol: rtol, atol: atol)
    #expect(worst <= 1, "closeness \(worst)", sourceLocation: sourceLocation)
}

/// The values of a shared variable or parameter expression as a float64 reference.
func reference(_ v: Variable?) throws -> RefArray {
    let shared = try #require(v as? SharedVariable)
    return RefArray(shared.value)
}
