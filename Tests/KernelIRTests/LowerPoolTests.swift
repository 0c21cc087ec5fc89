import GraphIR
import KernelIR
import Testing
import TensorRuntime

/// Pooling lowered to fused kernels (run by the loop-IR interpreter) against the reference
/// interpreter: every mode, overlapping windows, padding, partial border windows, ties, NaN,
/// symbolic sizes; and the fusion structure of the plans.
@Suite struct LowerPoolTests {
    static let rows: [Pool2DAttributes] = {
        var rows: [Pool2DAttributes] = []
        for mode in PoolMode.allCases {
            rows += [
                Pool2DAttributes(mode: mode, window: (2, 2)),
                Pool2DAttributes(mode: mode, window: (2, 2), ignoreBorder: false),
                Pool2DAttributes(mode: mode, window: (3, 2), stride: (1, 2), ignoreBorder: false),
                Pool2DAttributes(mode: mode, window: (3, 3), stride: (2, 2), ignoreBorder: false),
                Pool2DAttributes(mode: mode, window: (3, 3), stride: (2, 1), padding: (1, 1)),
                Pool2DAttributes(mode: mode, window: (2, 3), stride: (1, 1), padding: (1, 2)),
                Pool2DAttributes(mode: mode, window: (3, 3), stride: (1, 1), padding: (2, 1)),
                Pool2DAttributes(mode: mode, window: (1, 1), stride: (3, 2)),
                Pool2DAttributes(mode: mode, window: (2, 1), stride: (3, 3), ignoreBorder: false),
            ]
        }
        return rows
    }()

    /// pool2d, pool2dGrad and pool2dGradGrad of x (batch symbolic) and of a fused producer, in
    /// both float types, with distinct values and with many ties. The gradient's loops unroll by
    /// the strides that divide the plane: 5×7 none, 4×6 rows and columns, 5×6 columns only, 6×3
    /// rows only (stride 2) or both (stride 3).
    @Test(arguments: rows)
    func matchesReference(_ a: Pool2DAttributes) throws {
        for dtype in [DType.float32, .float64] {
            for (ties, dims) in [(false, [2, 3, 5, 7]), (true, [2, 3, 5, 7]), (true, [1, 3, 4, 6]), (true, [1, 3, 5, 6]),
                                 (true, [1, 3, 6, 3])] {
                let (graph, args) = Self.poolGraph(a, dtype, xShape: [nil, 3, dims[2], dims[3]], dims: dims, ties: ties)
                let plan = try LowerCheck.expectMatches(graph, args)
                #expect(Self.referenceSteps(plan).isEmpty, "\(a.attributeList)\n\(printPlan(plan))")
            }
        }
    }

    /// Spatial sizes known only at run time (bounds checks instead of proofs); an input smaller
    /// than the window throws a GraphError where the reference does.
    @Test(arguments: [rows[0], rows[4], rows[6], rows[12], rows[13], rows[19], rows[24]])
    func symbolicSizes(_ a: Pool2DAttributes) throws {
        for dims in [[1, 2, 6, 5], [2, 2, 3, 4], [1, 2, 1, 2]] {
            let (graph, args) = Self.poolGraph(a, .float32, xShape: [nil, 2, nil, nil], dims: dims, ties: false)
            guard (try? LowerCheck.reference(graph, args)) != nil else {
                #expect(a.ignoreBorder && dims == [1, 2, 1, 2], "\(a.attributeList)")
                #expect(throws: GraphError.self) { _ = try LowerCheck.run(graph, args) }
                continue
            }
            let plan = try LowerCheck.expectMatches(graph, args)
            #expect(Self.referenceSteps(plan).isEmpty)
        }
    }

    /// The first NaN of a window wins (forward value and gradient), as in the reference; with
    /// overlapping windows and with disjoint ones (the gradient unrolled over a window's rows
    /// and columns).
    @Test func nanWins() throws {
        let a = Pool2DAttributes(mode: .max, window: (2, 2), stride: (1, 1))
        let values: [Double] = [1, .nan, 3, 2, 5, .nan, 7, 8, 0]
        let x = try Tensor(shape: [1, 1, 3, 3], values: values, dtype: .float32)
        let (graph, args) = Self.poolGraph(a, .float32, xShape: [1, 1, 3, 3], dims: [1, 1, 3, 3], ties: false)
        try LowerCheck.expectMatches(graph, [x] + args.dropFirst())
        let disjoint = Pool2DAttributes(mode: .max, window: (2, 2))
        let values2: [Double] = [1, .nan, .nan, 2, 5, .nan, 4, 4, .nan, 0, 3, .nan, 2, 2, 1, 1]
        let x2 = try Tensor(shape: [1, 1, 4, 4], values: values2, dtype: .float32)
        let (graph2, args2) = Self.poolGraph(disjoint, .float32, xShape: [1, 1, 4, 4], dims: [1, 1, 4, 4], ties: false)
        try LowerCheck.expectMatches(graph2, [x2] + args2.dropFirst())
    }

    /// maxPool(relu(x + b)) is one kernel; its gradient times relu's is one kernel over x's shape.
    @Test func poolingFusesWithProducerAndConsumer() throws {
        let a = Pool2DAttributes(mode: .max, window: (2, 2))
        let x = G.input("x", [nil, 4, 6, 6]), b = G.input("b", [4, 1, 1]), gy = G.input("gy", [nil, 4, 3, 3])
        let h = G.un(.relu, G.add(x, b))
        let y = Build.pool2d(h, a, at: lowerHere)
        let forward = G.graph([x, b], [y])
        let args = [LowerCheck.random([2, 4, 6, 6], seed: 1), LowerCheck.random([4, 1, 1], seed: 2)]
        let plan = try LowerCheck.expectMatches(forward, args)
        #expect(plan.kernels.count == 1 && plan.steps.count == 1, "\(printPlan(plan))")
        let gh = Build.pool2dGrad(h, gy, a, at: lowerHere)
        let gx = Build.select(G.bin(.gt, G.add(x, b), G.scalar(0)), gh, G.scalar(0), at: lowerHere)
        let backward = G.graph([x, b, gy], [gx, y])
        let plan2 = try LowerCheck.expectMatches(backward, args + [LowerCheck.random([2, 4, 3, 3], seed: 3)])
        #expect(plan2.kernels.count == 2 && plan2.steps.count == 2, "\(printPlan(plan2))")
        let text = printPlan(plan2)
        #expect(text.contains("in 0..<3 vectorize"), "the gradient computes both columns of a window:\n\(text)")
        let gradient = try #require(plan2.kernels.first { printKernel($0).contains("3.0") }.map(printKernel))
        #expect(gradient.components(separatedBy: "in 0..<3").count == 3
                    && gradient.components(separatedBy: "store ").count == 5,
                "one iteration stores the window's 2×2 positions:\n\(gradient)")
        #expect(gradient.components(separatedBy: ", 3.0, ").count == 2
                    && gradient.components(separatedBy: "load %x[").count == 5,
                "one first-maximum scan per window, whose loads relu′ shares:\n\(gradient)")
    }

    /// An expensive operand read by overlapping windows is computed once into a buffer; a
    /// window larger than the unrolling limit stays a reference step.
    @Test func expensiveOperandsAndLargeWindows() throws {
        let x = G.input("x", [nil, 2, 9, 9])
        let costly = G.un(.exp, G.un(.tanh, G.un(.exp, x)))
        let overlapping = Build.pool2d(costly, Pool2DAttributes(mode: .max, window: (3, 3), stride: (1, 1)),
                                       at: lowerHere)
        let plan = try LowerCheck.expectMatches(G.graph([x], [overlapping]), [LowerCheck.random([2, 2, 9, 9], seed: 1)])
        #expect(plan.kernels.count == 2, "\(printPlan(plan))")
        let global = Build.pool2d(x, Pool2DAttributes(mode: .averageIncludingPadding, window: (9, 9)), at: lowerHere)
        let plan2 = try LowerCheck.expectMatches(G.graph([x], [global]), [LowerCheck.random([2, 2, 9, 9], seed: 1)])
        #expect(Self.referenceSteps(plan2).count == 1, "\(printPlan(plan2))")
    }

    /// Outputs pool2d(x), pool2d(relu(x)·2), pool2dGrad(x, gy), pool2dGradGrad(x, h) and the
    /// arguments x, gy, h (x drawn from {0, 1, 2} when `ties`).
    static func poolGraph(_ a: Pool2DAttributes, _ dtype: DType, xShape: [Int?], dims: [Int],
                          ties: Bool) -> (Graph, [Tensor]) {
        let x = G.input("x", xShape, dtype), h = G.input("h", xShape, dtype)
        let y = Build.pool2d(x, a, at: lowerHere)
        let gy = G.input("gy", y.type.shape.map(\.constantValue), dtype)
        let fused = Build.pool2d(G.mul(G.un(.relu, x), G.scalar(2, dtype)), a, at: lowerHere)
        let outputs = [y, fused, Build.pool2dGrad(x, gy, a, at: lowerHere),
                       Node.make(.pool2dGradGrad(a), [x, h], at: lowerHere)]
        var xv = LowerCheck.random(dims, dtype, seed: 11)
        if ties { xv = LowerCheck.integers(dims, 0...2, dtype, seed: 11) }
        let args = [xv, LowerCheck.random(pooledShape(dims, a), dtype, seed: 12), LowerCheck.random(dims, dtype, seed: 13)]
        return (G.graph([x, gy, h], outputs), args)
    }

    /// The pooled shape for concrete sizes.
    static func pooledShape(_ dims: [Int], _ a: Pool2DAttributes) -> [Int] {
        let r = dims.count - 2
        let extents = [
            a.outputExtent(.constant(dims[r]), window: a.windowH, stride: a.strideH, pad: a.padH).constantValue!,
            a.outputExtent(.constant(dims[r + 1]), window: a.windowW, stride: a.strideW, pad: a.padW).constantValue!,
        ]
        return Array(dims.dropLast(2)) + extents.map { max($0, 0) }
    }

    /// The nodes the plan evaluates with the reference interpreter.
    static func referenceSteps(_ plan: Plan) -> [Node] {
        plan.steps.compactMap { step in
            if case .reference(let node, _, _) = step { return node }
            return nil
        }
    }
}
