import Foundation
import GraphIR
import Testing
import TensorRuntime

/// Numerically hard inputs: after the pipeline, values and gradients are finite and match
/// float64 references computed with stable formulas here (before it, they are not finite).
@Suite struct RewriteStabilityTests {
    /// One case: a cost of input `x` (and constant extras), its reference value and gradient.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let shape: [Int]
        let x: [Double]
        let cost: @Sendable (Node, DType) -> Node
        let reference: @Sendable ([Double]) -> (value: Double, gradient: [Double])
        var testDescription: String { name }
    }

    static func logSumExp(_ row: [Double]) -> Double {
        let m = row.max()!
        return m + log(row.map { exp($0 - m) }.reduce(0, +))
    }

    static func softmax(_ row: [Double]) -> [Double] {
        let l = logSumExp(row)
        return row.map { exp($0 - l) }
    }

    static func rows(_ x: [Double], _ width: Int) -> [[Double]] {
        stride(from: 0, to: x.count, by: width).map { Array(x[$0..<$0 + width]) }
    }

    static let labels = [1, 1, 0, 2]

    /// mean(categoricalCrossentropy(softmax(z), y)) with logits at ±1e4.
    static let crossEntropy = Case(
        name: "softmax cross-entropy, logits ±1e4", shape: [4, 3],
        x: [1e4, -1e4, 0, -1e4, 1e4, 3, 0.5, -0.25, 1e4, -1e4, -1e4, -1e4 + 1],
        cost: { z, dtype in
            let y = Build.constant(try! Tensor(shape: [4], values: labels.map(Double.init), dtype: .int32), at: RW.loc)
            let ce = Build.categoricalCrossentropy(Build.softmax(z, axis: 1, at: RW.loc), y, at: RW.loc)
            return Build.reduce(.mean, ce, axes: nil, keepDims: false, at: RW.loc)
        },
        reference: { x in
            let r = rows(x, 3), n = Double(r.count)
            let value = zip(r, labels).map { logSumExp($0) - $0[$1] }.reduce(0, +) / n
            let gradient = zip(r, labels).flatMap { row, y in
                softmax(row).enumerated().map { ($1 - ($0 == y ? 1 : 0)) / n }
            }
            return (value, gradient)
        })

    static let targets: [Double] = [0, 1, 1, 0, 1, 0]

    /// sum(binaryCrossentropy(sigmoid(x), t)) at ±100 (confidently wrong and right).
    static let sigmoidCrossEntropy = Case(
        name: "sigmoid cross-entropy, x ±100", shape: [6], x: [100, -100, 30, -30, 0.5, -0.5],
        cost: { x, dtype in
            let t = Build.constant(try! Tensor(shape: [6], values: targets, dtype: dtype), at: RW.loc)
            return RW.sum(Build.binaryCrossentropy(RW.un(.sigmoid, x), t, at: RW.loc), nil)
        },
        reference: { x in
            let value = zip(x, targets).map { max($0, 0) - $1 * $0 + log1p(exp(-abs($0))) }.reduce(0, +)
            return (value, zip(x, targets).map { 1 / (1 + exp(-$0)) - $1 })
        })

    static let weights: [Double] = [0.5, -1, 2, 1, 0.25, -0.5]

    /// sum(w · log(softmax(x))) with entries 1e3 and 5e3 apart.
    static let logSoftmax = Case(
        name: "log-softmax of large inputs", shape: [2, 3], x: [1000, 0, -1000, 5e3, 5e3, -5e3],
        cost: { x, dtype in
            let w = Build.constant(try! Tensor(shape: [2, 3], values: weights, dtype: dtype), at: RW.loc)
            return RW.sum(RW.mul(w, RW.un(.log, Build.softmax(x, axis: 1, at: RW.loc))), nil)
        },
        reference: { x in
            let r = rows(x, 3), w = rows(weights, 3)
            let value = zip(r, w).map { row, wr in zip(row, wr).map { ($0 - logSumExp(row)) * $1 }.reduce(0, +) }
            let gradient = zip(r, w).flatMap { (row: [Double], wr: [Double]) -> [Double] in
                let total: Double = wr.reduce(0, +)
                return zip(wr, softmax(row)).map { (wi: Double, pi: Double) in wi - pi * total }
            }
            return (value.reduce(0, +), gradient)
        })

    /// sum(log(sum(exp(x), axis 1))) at ±1e3.
    static let logSumExpCase = Case(
        name: "log-sum-exp of large inputs", shape: [2, 3], x: [1000, 999, -1000, 3000, 2999.5, 2000],
        cost: { x, _ in RW.sum(RW.un(.log, RW.sum(RW.un(.exp, x), [1])), nil) },
        reference: { x in
            let r = rows(x, 3)
            return (r.map(logSumExp).reduce(0, +), r.flatMap(softmax))
        })

    static let all = [crossEntropy, sigmoidCrossEntropy, logSoftmax, logSumExpCase]

    /// [cost, d cost/dx] of `row` for input dtype `dtype`, optimized or not.
    static func evaluate(_ row: Case, _ dtype: DType, optimize: Bool, stabilizeGradient: Bool = true) throws -> [Tensor] {
        let x = Build.input("x", dtype: dtype, shape: row.shape.map { $0 }, at: RW.loc)
        let cost = row.cost(x, dtype)
        let grad = gradients(of: cost, wrt: [x], at: RW.loc, stabilize: stabilizeGradient)[0]
        var graph = Graph(name: "stability", inputs: [x], outputs: [cost, grad], outputCount: 2)
        if optimize { graph = try Pipeline.standard(.fastRun).run(graph).0 }
        return try RW.run(graph, [try Tensor(shape: row.shape, values: row.x, dtype: dtype)])
    }

    /// Values equal within `rtol` of max(1, |reference|), all finite.
    static func matches(_ got: [Double], _ want: [Double], rtol: Double) -> Bool {
        got.count == want.count && zip(got, want).allSatisfy { g, w in
            g.isFinite && Swift.abs(g - w) <= rtol * Swift.max(1, Swift.abs(w))
        }
    }

    @Test(arguments: all, [DType.float64, .float32])
    func valuesAndGradientsAreFiniteAndRight(_ row: Case, _ dtype: DType) throws {
        let (value, gradient) = row.reference(row.x.map { dtype == .float32 ? Double(Float($0)) : $0 })
        let rtol = dtype == .float64 ? 1e-12 : 1e-5
        let out = try Self.evaluate(row, dtype, optimize: true)
        #expect(Self.matches(out[0].scalars, [value], rtol: rtol), "cost \(out[0].scalars) want \(value)")
        #expect(Self.matches(out[1].scalars, gradient, rtol: rtol), "grad \(out[1].scalars) want \(gradient)")
    }

    /// The same graphs without the optimizer overflow or underflow (so the cases test something).
    @Test(arguments: all)
    func unoptimizedGraphsAreNotFinite(_ row: Case) throws {
        let out = try Self.evaluate(row, .float64, optimize: false, stabilizeGradient: false)
        let finite = (out[0].scalars + out[1].scalars).allSatisfy { $0.isFinite }
        #expect(!finite, "\(out[0].scalars) \(out[1].scalars)")
    }

    /// Gradients taken on the unstable forms (no stabilization before the sweep) are repaired by
    /// the pipeline's gradient rules.
    @Test(arguments: [crossEntropy, logSoftmax], [DType.float64, .float32])
    func unstableGradientFormsAreRepaired(_ row: Case, _ dtype: DType) throws {
        let (value, gradient) = row.reference(row.x)
        let rtol = dtype == .float64 ? 1e-12 : 1e-5
        let out = try Self.evaluate(row, dtype, optimize: true, stabilizeGradient: false)
        #expect(Self.matches(out[0].scalars, [value], rtol: rtol), "cost \(out[0].scalars) want \(value)")
        #expect(Self.matches(out[1].scalars, gradient, rtol: rtol), "grad \(out[1].scalars) want \(gradient)")
    }
}
