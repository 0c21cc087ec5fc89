import Foundation
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR
@testable import LLVMCodegen

/// Graphs lowered by the scheduler (real fused kernels) run through `PlanRunner` with the
/// LLVM compiler and with the interpreter: integers and bools equal, floats within 2e-5
/// relative for float32 (inline math, reassociated reductions) and 1e-12 for float64.
@Suite struct CodegenPlanTests {
    static let here = GraphIR.SourceLocation(fileID: "CodegenPlanTests", line: 1)

    static func input(_ name: String, _ shape: [Int?], _ dtype: DType = .float32) -> Node {
        Build.input(name, dtype: dtype, shape: shape, at: here)
    }
    static func scalar(_ v: Double, _ dtype: DType = .float32) -> Node { Build.scalar(v, dtype: dtype, at: here) }
    static func un(_ op: ScalarOp, _ x: Node) -> Node { Build.unary(op, x, at: here) }
    static func bin(_ op: ScalarOp, _ a: Node, _ b: Node) -> Node { Build.binary(op, a, b, at: here) }
    static func graph(_ inputs: [Node], _ outputs: [Node]) -> Graph {
        Graph(name: "f", inputs: inputs, outputs: outputs, outputCount: outputs.count)
    }
    static func random(_ shape: [Int], _ dtype: DType = .float32, seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor(randomUniform: shape, in: -2...2, dtype: dtype, generator: &generator)
    }

    /// Named graphs with their arguments.
    static let cases: [(String, @Sendable () -> (Graph, [Tensor]))] = [
        ("w1", {
            let x = input("x", [nil])
            let left = bin(.mul, un(.tanh, bin(.add, bin(.mul, scalar(0.7), x), scalar(0.1))), un(.sigmoid, x))
            let right = bin(.mul, un(.exp, bin(.mul, un(.neg, x), x)), scalar(0.5))
            return (graph([x], [bin(.sub, left, right)]), [random([5003], seed: 1)])
        }),
        ("mlp step", {
            let x = input("x", [nil, 12]), y = input("y", [nil], .int64)
            let w1 = input("W1", [12, 9]), b1 = input("b1", [9]), w2 = input("W2", [9, 4]), b2 = input("b2", [4])
            let h = un(.tanh, bin(.add, Build.dot(x, w1, at: here), b1))
            let p = Build.softmax(bin(.add, Build.dot(h, w2, at: here), b2), axis: -1, at: here)
            let loss = Build.reduce(.mean, Build.categoricalCrossentropy(p, y, at: here), axes: nil, keepDims: false,
                                    at: here)
            let params = [w1, b1, w2, b2]
            let grads = gradients(of: loss, wrt: params, at: here)
            let updated = zip(params, grads).map { bin(.sub, $0, bin(.mul, scalar(0.01), $1)) }
            let labels = try! Tensor(shape: [5], values: [0, 3, 1, 2, 3], dtype: .int64)
            let args = [random([5, 12], seed: 2), labels, random([12, 9], seed: 3), random([9], seed: 4),
                        random([9, 4], seed: 5), random([4], seed: 6)]
            return (Graph(name: "w2", inputs: [x, y] + params, outputs: [loss] + updated, outputCount: 1), args)
        }),
        ("reductions", {
            let x = input("x", [nil, 3, 5])
            let e = un(.exp, x)
            let outputs = Reduction.allCases.flatMap { r in
                [[1], [0, 2]].map { Build.reduce(r, e, axes: $0, keepDims: false, at: here) }
            }
            return (graph([x], outputs), [random([4, 3, 5], seed: 7)])
        }),
        ("arg reductions and comparisons", {
            let x = input("x", [nil, 7]), k = input("k", [nil, 7], .int32)
            let outputs = [Build.argmax(x, axis: 1, keepDims: false, at: here),
                           Build.argmin(bin(.mul, x, x), axis: 0, keepDims: false, at: here),
                           Build.argmax(k, axis: 1, keepDims: true, at: here),
                           bin(.lt, x, scalar(0.5)), Build.reduce(.sum, k, axes: [0], keepDims: false, at: here)]
            let ints = try! Tensor(shape: [3, 7], values: (0..<21).map { Double(($0 * 37) % 11) - 5 }, dtype: .int32)
            return (graph([x, k], outputs), [random([3, 7], seed: 8), ints])
        }),
        ("gather and slices", {
            let x = input("x", [nil, 4, 3]), i = input("i", [2, 3], .int64), j = input("j", [3], .int64)
            let picked = Build.advancedIndex(un(.tanh, x), [i, j], at: here)
            let sliced = Build.slice(x, [.range(start: 1, stop: nil, step: 2), .all, .index(-1)], at: here)
            let idx = try! Tensor(shape: [2, 3], values: [0, -1, 2, 4, 1, -5], dtype: .int64)
            let jdx = try! Tensor(shape: [3], values: [3, -2, 0], dtype: .int64)
            return (graph([x, i, j], [picked, un(.exp, sliced)]), [random([5, 4, 3], seed: 9), idx, jdx])
        }),
    ]

    @Test(arguments: cases.indices)
    func loweredPlanMatchesInterpreter(_ index: Int) throws {
        let (name, make) = Self.cases[index]
        let (graph, arguments) = make()
        let plan = try lower(graph)
        let expected = try PlanRunner(plan: plan, compiler: KernelInterpreter()).run(arguments)
        let actual = try PlanRunner(plan: plan, compiler: CG.llvm).run(arguments)
        #expect(!plan.kernels.isEmpty, "\(name): no kernels")
        #expect(actual.count == expected.count)
        for (k, (a, e)) in zip(actual, expected).enumerated() {
            #expect(a.shape == e.shape && a.dtype == e.dtype, "\(name) output \(k)")
            guard a.shape == e.shape, a.dtype == e.dtype else { continue }
            let tolerance = a.dtype == .float32 ? 2e-5 : (a.dtype == .float64 ? 1e-12 : 0)
            let worst = (0..<a.count).map { i -> Double in
                let (x, y) = (a.double(at: i), e.double(at: i))
                if x.isNaN || y.isNaN { return x.isNaN && y.isNaN ? 0 : .infinity }
                if x.isInfinite || y.isInfinite { return x == y ? 0 : .infinity }
                return Swift.abs(x - y) / Swift.max(1, Swift.abs(y))
            }.max() ?? 0
            #expect(worst <= tolerance, "\(name) output \(k): relative error \(worst)")
        }
    }

    /// An out-of-range gather index reports the same error through both compilers.
    @Test func gatherErrorsMatch() throws {
        let x = Self.input("x", [nil, 3]), i = Self.input("i", [2], .int64)
        let graph = Self.graph([x, i], [Build.advancedIndex(Self.un(.exp, x), [i], at: Self.here)])
        let plan = try lower(graph)
        let arguments = [Self.random([4, 3], seed: 10), try Tensor(shape: [2], values: [1, 4], dtype: .int64)]
        let interpreted = Result { try PlanRunner(plan: plan, compiler: KernelInterpreter()).run(arguments) }
        let compiled = Result { try PlanRunner(plan: plan, compiler: CG.llvm).run(arguments) }
        guard case .failure(let expected) = interpreted, case .failure(let actual) = compiled else {
            Issue.record("an index of 4 into 4 rows must fail in both")
            return
        }
        #expect("\(actual)" == "\(expected)")
    }
}
