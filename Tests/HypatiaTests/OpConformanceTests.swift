import Foundation
import Hypatia
import HypatiaTestSupport
import Testing

/// One row of the op conformance table: an op applied to random inputs, checked forward
/// against a float64 reference (in float32 and float64) and, if differentiable, backward
/// against central differences.
struct OpCase: Sendable, CustomTestStringConvertible {
    let name: String
    let inputs: [InputSpec]
    let build: @Sendable ([Variable]) -> Variable
    let reference: @Sendable ([RefArray]) -> RefArray
    var differentiable = true

    var testDescription: String { name }
}

/// Shape, value range and dtype of one random input of an `OpCase`.
struct InputSpec: Sendable {
    let shape: [Int]
    let range: ClosedRange<Double>
    var integral = false

    static func float(_ shape: [Int], _ range: ClosedRange<Double> = -2...2) -> InputSpec {
        InputSpec(shape: shape, range: range)
    }

    static func labels(_ shape: [Int], _ range: ClosedRange<Int>) -> InputSpec {
        InputSpec(shape: shape, range: Double(range.lowerBound)...Double(range.upperBound), integral: true)
    }

    func values(seed: UInt64) -> RefArray {
        integral
            ? RandomData.integers(shape, in: Int(range.lowerBound)...Int(range.upperBound), seed: seed)
            : RandomData.uniform(shape, in: range, seed: seed)
    }
}

extension OpCase {
    /// Builds the case's symbolic inputs with `floatType` for float inputs (int32 for labels).
    func variables(_ floatType: DType) -> [Variable] {
        inputs.enumerated().map { i, spec in
            tensor("in\(i)", dtype: spec.integral ? .int32 : floatType, shape: spec.shape.map { $0 })
        }
    }

    func arguments(_ floatType: DType, seed: UInt64) -> (tensors: [Tensor], refs: [RefArray]) {
        let refs = inputs.enumerated().map { $0.element.values(seed: seed &+ UInt64($0.offset)) }
        let tensors = zip(inputs, refs).map { $1.tensor($0.integral ? .int32 : floatType) }
        return (tensors, refs)
    }
}

@Suite struct OpConformanceTests {
    @Test(arguments: OpTable.all)
    func forwardMatchesFloat64Reference(_ op: OpCase) throws {
        for (dtype, rtol, atol) in [(DType.float64, 1e-10, 1e-12), (DType.float32, 2e-5, 2e-6)] {
            let vars = op.variables(dtype)
            let f = try function(inputs: vars, outputs: [op.build(vars)])
            let (tensors, refs) = op.arguments(dtype, seed: 7)
            let got = try f.call(tensors)[0]
            let want = op.reference(refs.map { dtype == .float32 ? $0.roundedToFloat32() : $0 })
            #expect(got.shape == want.shape, "\(op.name) \(dtype): shape")
            let error = closeness(got.scalars, want.values, rtol: rtol, atol: atol)
            #expect(error <= 1, "\(op.name) \(dtype): got \(got.scalars.prefix(6)) want \(want.values.prefix(6))")
        }
    }

    @Test(arguments: OpTable.all.filter(\.differentiable))
    func gradientMatchesCentralDifferences(_ op: OpCase) throws {
        let (tensors, refs) = op.arguments(.float64, seed: 11)
        let outShape = op.reference(refs).shape
        let weights = RandomData.uniform(outShape, in: -1...1, seed: 99).tensor(.float64)
        let floatPositions = op.inputs.indices.filter { !op.inputs[$0].integral }
        // Integer inputs (labels) are fixed constants; the checked cost is sum(op(x) * w).
        let check = try checkGradient({ vs in
            var all: [Variable] = []
            var next = vs.makeIterator()
            for (i, spec) in op.inputs.enumerated() {
                all.append(spec.integral ? constant(tensors[i].converted(to: .int32)) : next.next()!)
            }
            return sum(op.build(all) * constant(weights))
        }, at: floatPositions.map { tensors[$0] }, tolerance: 1e-5)
        #expect(check.maxRelativeError.allSatisfy { $0 <= 1e-5 }, "\(op.name): \(check.maxRelativeError)")
    }
}

extension RefArray {
    /// The values rounded to float32, as float32 inputs would see them.
    func roundedToFloat32() -> RefArray { map { Double(Float($0)) } }
}
