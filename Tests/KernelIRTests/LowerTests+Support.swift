import GraphIR
import KernelIR
import Testing
import TensorRuntime

/// Running lowered plans against GraphIR's reference backend.
enum LowerCheck {
    /// Lowers `graph` and runs the plan with the loop-IR interpreter.
    static func run(_ graph: Graph, _ arguments: [Tensor]) throws -> (Plan, [Tensor]) {
        let plan = try lower(graph)
        let runner = try PlanRunner(plan: plan, compiler: KernelInterpreter())
        return (plan, try runner.run(arguments))
    }

    /// The reference backend's outputs.
    static func reference(_ graph: Graph, _ arguments: [Tensor]) throws -> [Tensor] {
        try ReferenceBackend().compile(graph).run(arguments)
    }

    /// Lowers and runs `graph`, and expects every output to match the reference to `tolerance`
    /// (relative, with an absolute floor of `tolerance` for values near zero). Returns the plan.
    @discardableResult
    static func expectMatches(_ graph: Graph, _ arguments: [Tensor], tolerance: Double? = nil,
                              sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Plan {
        let (plan, actual) = try run(graph, arguments)
        let expected = try reference(graph, arguments)
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (i, (a, b)) in zip(actual, expected).enumerated() {
            let tol = tolerance ?? (b.dtype == .float32 ? 2e-5 : 1e-12)
            #expect(a.shape == b.shape && a.dtype == b.dtype,
                    "output \(i): \(a.shape) \(a.dtype) vs \(b.shape) \(b.dtype)",
                    sourceLocation: sourceLocation)
            guard a.shape == b.shape else { continue }
            let worst = (0..<a.count).map { k in
                Self.error(a.double(at: k), b.double(at: k), tol)
            }.max() ?? 0
            #expect(worst <= 1, "output \(i) differs by \(worst) tolerances\n\(printPlan(plan))",
                    sourceLocation: sourceLocation)
        }
        return plan
    }

    /// |a - b| in units of the tolerance (NaN matches NaN, infinities must be equal).
    private static func error(_ a: Double, _ b: Double, _ tol: Double) -> Double {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : .infinity }
        if a.isInfinite || b.isInfinite { return a == b ? 0 : .infinity }
        return abs(a - b) / (tol * max(1, abs(b)))
    }

    /// Uniform random values in `range`.
    static func random(_ shape: [Int], _ dtype: DType = .float32, in range: ClosedRange<Double> = -2...2,
                       seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor(randomUniform: shape, in: range, dtype: dtype, generator: &generator)
    }

    /// Random integers in `range` (labels, indices).
    static func integers(_ shape: [Int], _ range: ClosedRange<Int>, _ dtype: DType = .int64, seed: UInt64) -> Tensor {
        let u = random(shape, .float64, in: Double(range.lowerBound)...Double(range.upperBound) + 0.999, seed: seed)
        return try! Tensor(shape: shape, values: u.scalars.map { $0.rounded(.down) }, dtype: dtype)
    }
}
