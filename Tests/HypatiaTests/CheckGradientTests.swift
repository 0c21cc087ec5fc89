import Foundation
import Hypatia
import Testing

/// `checkGradient` accepts correct gradients and rejects wrong ones.
@Suite struct CheckGradientTests {
    static func points() throws -> [Tensor] {
        let x = try f32([3, 4], (0..<12).map { sin(Double($0)) })
        let W = try f32([4, 2], (0..<8).map { cos(Double($0)) * 0.5 })
        let b = try f32([2], [0.1, -0.2])
        return [x, W, b]
    }

    @Test func acceptsTanhLayer() throws {
        let result = try checkGradient({ v in tanh(dot(v[0], v[1]) + v[2]).sum() }, at: try Self.points())
        #expect(result.maxRelativeError.count == 3)
        #expect(result.largestError < 1e-6)
    }

    @Test func acceptsLargeInputAlongRandomDirections() throws {
        let big = try f32([10, 20], (0..<200).map { (i: Int) -> Double in Double(i % 7) * 0.1 - 0.3 })
        let result = try checkGradient({ v in (sigmoid(v[0]) * v[0]).mean() }, at: [big], seed: 42)
        #expect(result.largestError < 1e-6)
    }

    @Test func rejectsStopGradientMisuse() throws {
        let point = try f32([3], [1, 2, 3])
        let (error, line) = (graphError { try checkGradient({ v in (v[0] * stopGradient(v[0])).sum() }, at: [point]) }, #line)
        let e = try #require(error)
        #expect(e.kind == .runtime && e.op == "checkGradient" && e.location == at(line))
        #expect(e.message.contains("input 0"))
    }

    @Test func rejectsWrongGradientOnLargeInput() throws {
        let big = try f32([100], (0..<100).map { Double($0) / 50 })
        let e = graphError {
            try checkGradient({ v in (exp(stopGradient(v[0])) + v[0]).sum() }, at: [big], seed: 7)
        }
        #expect(e?.kind == .runtime)
    }

    @Test func rejectsNonScalarCost() throws {
        let e = graphError { try checkGradient({ v in v[0] * 2 }, at: [try f32([2], [1, 2])]) }
        #expect(e?.kind == .argument)
    }
}
