import GraphIR
@testable import KernelIR
import Testing
import TensorRuntime

/// conv2d and its gradients lowered to im2col / col2im kernels and library products (run with
/// the loop-IR interpreter) against the reference backend.
@Suite struct ConvLoweringTests {
    static let cases: [(Conv2DAttributes, x: [Int], w: [Int])] = [
        (Conv2DAttributes(), [2, 1, 6, 5], [2, 1, 3, 2]),
        (Conv2DAttributes(borderMode: .full, filterFlip: false), [1, 2, 4, 4], [3, 2, 2, 3]),
        (Conv2DAttributes(borderMode: .half, stride: (2, 2), dilation: (1, 2), groups: 2), [2, 4, 5, 6], [4, 2, 3, 3]),
        (Conv2DAttributes(borderMode: .explicit(2, 1), stride: (1, 3)), [1, 2, 5, 7], [2, 2, 2, 2]),
    ]

    @Test(arguments: cases.indices, [DType.float32, .float64])
    func matchesReference(_ k: Int, _ dtype: DType) throws {
        let (a, xShape, wShape) = Self.cases[k]
        let x = G.input("x", xShape.map { $0 }, dtype), w = G.input("w", wShape.map { $0 }, dtype)
        let y = Build.conv2d(x, w, a, at: lowerHere)
        let gy = G.input("gy", y.type.shape.map { $0.constantValue }, dtype)
        let dx = Build.conv2dGradInput(x, w, gy, a, at: lowerHere)
        let dw = Build.conv2dGradFilters(x, w, gy, a, at: lowerHere)
        let graph = G.graph([x, w, gy], [G.un(.tanh, y), dx, dw])
        let arguments = [LowerCheck.random(xShape, dtype, seed: 1), LowerCheck.random(wShape, dtype, seed: 2),
                         LowerCheck.random(y.type.shape.map { $0.constantValue! }, dtype, seed: 3)]
        let plan = try LowerCheck.expectMatches(graph, arguments)
        #expect(!plan.steps.contains { if case .reference = $0 { true } else { false } }, "\(printPlan(plan))")
    }

    /// A symbolic batch: the columns' sizes are size parameters.
    @Test func symbolicBatch() throws {
        let a = Conv2DAttributes(borderMode: .half)
        let x = G.input("x", [nil, 2, 5, 5]), w = G.input("w", [3, 2, 3, 3])
        let y = Build.conv2d(x, w, a, at: lowerHere)
        let cost = G.sum(G.mul(y, y), nil)
        let graph = G.graph([x, w], [y] + G.grads(cost, [x, w]))
        for batch in [1, 3] {
            try LowerCheck.expectMatches(graph, [LowerCheck.random([batch, 2, 5, 5], seed: 4),
                                                 LowerCheck.random([3, 2, 3, 3], seed: 5)], tolerance: 1e-4)
        }
    }

    /// Symbolic image sizes: the col2im tap ranges are computed at run time (padding and
    /// stride make them differ per tap); a channel count the groups do not divide and an empty
    /// padded axis (compiled code refuses it; the interpreter gives zeros) throw.
    @Test func symbolicImage() throws {
        let a = Conv2DAttributes(borderMode: .explicit(2, 1), stride: (2, 3), groups: 2, filterFlip: false)
        let x = G.input("x", [nil, nil, nil, nil]), w = G.input("w", [4, 1, 3, 4])
        let y = Build.conv2d(x, w, a, at: lowerHere)
        let graph = G.graph([x, w], [y] + G.grads(G.sum(G.mul(y, y), nil), [x, w]))
        let filters = LowerCheck.random([4, 1, 3, 4], seed: 6)
        for shape in [[2, 2, 5, 7], [1, 2, 8, 4]] {
            try LowerCheck.expectMatches(graph, [LowerCheck.random(shape, seed: 7), filters], tolerance: 1e-4)
        }
        for bad in [[1, 3, 5, 5], [1, 2, 0, 5]] {
            #expect(throws: GraphError.self) { try LowerCheck.run(graph, [LowerCheck.random(bad, seed: 8), filters]) }
        }
    }

    /// relu(conv2d(x, w) + b): one kernel writes the columns, one product, and one kernel adds
    /// the bias, applies relu and transposes back to NCHW.
    @Test func forwardIsColumnsProductAndOneKernel() throws {
        let x = G.input("x", [4, 3, 8, 8]), w = G.input("w", [5, 3, 3, 3]), b = G.input("b", [5, 1, 1])
        let y = G.un(.relu, G.add(Build.conv2d(x, w, Conv2DAttributes(), at: lowerHere), b))
        let steps = try schedule(G.graph([x, w, b], [y])).schedule.steps
        try #require(steps.count == 3, "\(steps)")
        guard case .kernel(let cols) = steps[0], case .gemm(let product) = steps[1], case .kernel(let out) = steps[2]
        else { Issue.record("expected kernel, gemm, kernel: \(steps)"); return }
        #expect(cols.roots.count == 1 && cols.roots[0].op.name == "im2col")
        #expect(product.a.op.name == "reshape" && product.a.inputs[0] === w, "the filters are only viewed")
        #expect(out.roots.count == 1 && out.roots[0].op.name == "relu" && out.roots[0].type == y.type)
    }
}
