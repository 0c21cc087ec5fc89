import Foundation
import GraphIR
import TensorRuntime

/// The result of a successful `checkGradient`: the largest relative error per input.
public struct GradientCheck: Sendable, Hashable {
    /// For each input, the largest relative error between the symbolic gradient and central
    /// differences, `|a - n| / max(1, |a|, |n|)` (absolute for small values).
    public let maxRelativeError: [Double]
    /// The tolerance the errors were checked against.
    public let tolerance: Double

    /// The largest error over all inputs.
    public var largestError: Double { maxRelativeError.max() ?? 0 }
}

/// Inputs with at most this many elements are checked element by element; larger ones along
/// `randomDirections` random directions.
private let elementwiseLimit = 64
private let randomDirections = 6

/// Verifies symbolic gradients against central differences (Theano's `verify_grad`).
///
/// `cost` builds a scalar from float64 inputs shaped like `points` (which are converted to
/// float64). The cost and its gradients are compiled; each gradient is compared with
/// `(cost(x + eps·d) - cost(x - eps·d)) / 2eps` for every unit vector d of a small input, or
/// for `seed`-determined random unit directions of a large one. Throws
/// `GraphError(.runtime, op: "checkGradient")` naming the input and the values when an error
/// exceeds `tolerance` (or is not finite), and any error from building or compiling the cost.
public func checkGradient(_ cost: ([Variable]) -> Variable, at points: [Tensor], eps: Double = 1e-6,
                          tolerance: Double = 1e-4, seed: UInt64 = 0,
                          file: String = #fileID, line: Int = #line) throws -> GradientCheck {
    let loc = here(file, line)
    let values = points.map(float64)
    let inputs = values.enumerated().map { i, value in
        tensor("p\(i)", dtype: .float64, shape: value.shape, file: file, line: line)
    }
    let costVariable = cost(inputs)
    guard costVariable.rank == 0 else {
        throw GraphError(.argument, op: "checkGradient", "the cost must be a scalar, got \(costVariable.type)",
                         at: loc)
    }
    let grads = grad(costVariable, wrt: inputs, disconnectedInputs: .zero, file: file, line: line)
    let withGrads = try function(inputs: inputs, outputs: [costVariable] + grads, name: "checkGradient",
                                 file: file, line: line)
    let costOnly = try function(inputs: inputs, outputs: [costVariable], name: "checkGradientCost",
                                file: file, line: line)
    let analytic = Array(try withGrads.call(values, file: file, line: line).dropFirst())
    var rng = SplitMix64(seed: seed)
    var errors: [Double] = []
    for i in values.indices {
        let probe = Probe(costOnly: costOnly, values: values, input: i, eps: eps, loc: loc)
        let error = try probe.maxError(analytic: analytic[i], rng: &rng, tolerance: tolerance)
        errors.append(error)
    }
    return GradientCheck(maxRelativeError: errors, tolerance: tolerance)
}

/// Central differences of the cost along directions in one input.
private struct Probe {
    let costOnly: CompiledFunction
    let values: [Tensor]
    let input: Int
    let eps: Double
    let loc: SourceLocation

    /// The largest error over the directions; throws at the first one above `tolerance`.
    func maxError(analytic: Tensor, rng: inout SplitMix64, tolerance: Double) throws -> Double {
        let x = values[input]
        let grad = analytic.scalars
        let elementwise = x.count <= elementwiseLimit
        var worst = 0.0
        for k in 0..<(elementwise ? x.count : randomDirections) {
            let direction = elementwise ? unit(k, count: x.count) : randomUnit(x.count, &rng)
            let symbolic = zip(grad, direction).reduce(0) { $0 + $1.0 * $1.1 }
            let numeric = try (cost(along: direction, by: eps) - cost(along: direction, by: -eps)) / (2 * eps)
            let error = relativeError(symbolic, numeric)
            worst = Swift.max(worst, error)
            if error > tolerance {
                let what = elementwise ? "element \(k)" : "random direction \(k)"
                throw GraphError(.runtime, op: "checkGradient",
                                 "gradient of input \(input) (shape \(x.shape)) is wrong at \(what): "
                                 + "symbolic \(symbolic), numeric \(numeric), relative error \(error) "
                                 + "> tolerance \(tolerance)", at: loc)
            }
        }
        return worst
    }

    /// The cost with input `input` moved by `step · direction`.
    private func cost(along direction: [Double], by step: Double) throws -> Double {
        var moved = values
        for (j, d) in direction.enumerated() where d != 0 {
            moved[input].setDouble(moved[input].double(at: j) + step * d, at: j)
        }
        return try costOnly.call(moved, file: loc.fileID, line: loc.line)[0].scalar
    }
}

/// `|a - n| / max(1, |a|, |n|)`; infinity if either is not finite.
private func relativeError(_ a: Double, _ n: Double) -> Double {
    guard a.isFinite, n.isFinite else { return .infinity }
    return Swift.abs(a - n) / Swift.max(1, Swift.abs(a), Swift.abs(n))
}

/// The k-th unit vector of length `count`.
private func unit(_ k: Int, count: Int) -> [Double] {
    var v = [Double](repeating: 0, count: count)
    v[k] = 1
    return v
}

/// A random direction of unit length (normal components, Box–Muller).
private func randomUnit(_ count: Int, _ rng: inout SplitMix64) -> [Double] {
    var v = (0..<count).map { _ in rng.normal() }
    let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    if norm > 0 { v = v.map { $0 / norm } }
    return v
}

/// `t` converted to float64.
private func float64(_ t: Tensor) -> Tensor {
    if t.dtype == .float64 { return t }
    var result = Tensor(zeros: t.shape, dtype: .float64)
    for i in 0..<t.count { result.setDouble(t.double(at: i), at: i) }
    return result
}

/// A small deterministic generator (SplitMix64) for reproducible directions.
private struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1].
    mutating func uniform() -> Double { Double((next() >> 11) + 1) / Double(1 << 53) }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let u = uniform(), v = uniform()
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }
}
