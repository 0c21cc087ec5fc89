import GraphIR
import KernelIR
import Testing
import TensorRuntime

/// `random` lowered into kernels (Philox4x32-10 in loop-IR integer arithmetic), run by the
/// loop-IR interpreter against GraphIR's reference evaluation; the integer ops it needs.
struct LowerRandomTests {
    /// A random node shaped like `x` (rows symbolic, 37 columns), reading counter input `c`.
    static func randomGraph(_ d: RandomDistribution, _ dtype: DType, seed: UInt64 = 0xDEAD_BEEF_0123_4567)
        -> (Graph, [Node]) {
        let x = G.input("x", [nil, 37]), c = G.input("c", [], .int64)
        let a = RandomAttributes(d, dtype: dtype, shape: x.type.shape, seed: seed, stream: 5)
        let extents = [Build.dimension(x, axis: 0, at: lowerHere), G.scalar(37, .int64)]
        let r = Node.make(.random(a), [c] + extents, at: lowerHere)
        return (G.graph([x, c], [r]), [x, c, r])
    }

    /// The arguments: x with `rows` rows, and a counter using both 32-bit halves.
    static func arguments(rows: Int, counter: Int64 = 0x3_0000_0007) -> [Tensor] {
        [Tensor(zeros: [rows, 37], dtype: .float32), Tensor(Double(counter), dtype: .int64)]
    }

    static func referenceSteps(_ plan: Plan) -> Int {
        plan.steps.filter { if case .reference = $0 { true } else { false } }.count
    }

    static let exact: [(RandomDistribution, DType)] = [
        (.uniform(low: -2, high: 6), .float32), (.uniform(low: 0, high: 1), .float64),
        (.binomial(n: 1, p: 0.8), .float32), (.binomial(n: 1, p: 0.3), .bool), (.binomial(n: 5, p: 0.7), .int32),
        (.binomial(n: 32, p: 0.4), .int64), (.binomial(n: 0, p: 0.5), .uint8), (.binomial(n: 3, p: 1), .float64),
        (.binomial(n: 4, p: 0), .int64),
    ]

    /// Uniform and binomial draws equal the reference bit for bit, inside one kernel.
    @Test(arguments: exact)
    func uniformAndBinomialMatchTheReferenceExactly(_ d: RandomDistribution, _ dtype: DType) throws {
        let (graph, _) = Self.randomGraph(d, dtype)
        let args = Self.arguments(rows: 23)
        let (plan, got) = try LowerCheck.run(graph, args)
        let want = try LowerCheck.reference(graph, args)
        #expect(plan.kernels.count == 1 && Self.referenceSteps(plan) == 0, "\(printPlan(plan))")
        #expect(got[0].dtype == dtype && got[0].shape == [23, 37])
        #expect(got[0].scalars == want[0].scalars, "\(d) \(dtype)")
    }

    /// Normal draws: log and cos by inline polynomials within a few ulp of libm's (measured
    /// over 740,000 draws: ≤ 2.9 ulp of each float64 value; float32 values all identical).
    @Test(arguments: [DType.float64, .float32])
    func normalMatchesTheReferenceClosely(_ dtype: DType) throws {
        let (graph, _) = Self.randomGraph(.normal(mean: 0, std: 1), dtype)
        let args = Self.arguments(rows: 200)
        let (plan, got) = try LowerCheck.run(graph, args)
        let want = try LowerCheck.reference(graph, args)
        #expect(Self.referenceSteps(plan) == 0)
        let ulp = dtype == .float64 ? 0x1p-52 : Double(Float.ulpOfOne)
        let worst = zip(got[0].scalars, want[0].scalars).map { abs($0 - $1) / (ulp * max(1e-300, abs($1))) }.max()!
        #expect(worst <= 4, "worst \(worst) ulp")
    }

    /// Large n stays a reference step (one comparison per trial would be too slow inline).
    @Test func largeBinomialIsAReferenceStep() throws {
        let (graph, _) = Self.randomGraph(.binomial(n: RandomLowering.maxInlineTrials + 1, p: 0.5), .int64)
        let args = Self.arguments(rows: 3)
        let (plan, got) = try LowerCheck.run(graph, args)
        #expect(Self.referenceSteps(plan) == 1)
        #expect(got[0].scalars == (try LowerCheck.reference(graph, args))[0].scalars)
    }

    /// `x * binomial(p) / p` is one kernel, no reference step, with the reference's values.
    @Test func dropoutIsOneKernel() throws {
        let (_, nodes) = Self.randomGraph(.binomial(n: 1, p: 0.8), .float32)
        let x = nodes[0], c = nodes[1]
        let out = Build.binary(.div, G.mul(x, nodes[2]), G.scalar(0.8), at: lowerHere)
        let dropout = G.graph([x, c], [out])
        var generator = RandomGenerator(seed: 3)
        let args = [Tensor(randomUniform: [64, 37], in: -1...1, dtype: .float32, generator: &generator),
                    Tensor(Double(12), dtype: .int64)]
        let (plan, got) = try LowerCheck.run(dropout, args)
        #expect(plan.kernels.count == 1 && plan.steps.count == 1, "\(printPlan(plan))")
        #expect(got[0].scalars == (try LowerCheck.reference(dropout, args))[0].scalars)
    }

    /// A draw read at two points of one kernel (`r + r[::-1]`, rows symbolic): both are the
    /// reference's elements, and the draw's run-time count check is emitted once.
    @Test func drawReadAtTwoPointsOfOneKernel() throws {
        let (_, nodes) = Self.randomGraph(.uniform(low: 0, high: 1), .float64)
        let (x, c, r) = (nodes[0], nodes[1], nodes[2])
        let reversed = Build.slice(r, [.range(start: nil, stop: nil, step: -1)], at: lowerHere)
        let graph = G.graph([x, c], [G.add(r, reversed)])
        let args = Self.arguments(rows: 11)
        let (plan, got) = try LowerCheck.run(graph, args)
        #expect(plan.kernels.count == 1 && Self.referenceSteps(plan) == 0, "\(printPlan(plan))")
        #expect(got[0].scalars == (try LowerCheck.reference(graph, args))[0].scalars)
        let text = printKernel(plan.kernels[0])
        #expect(text.components(separatedBy: "< 4294967297").count == 2, "\(text)")
    }

    /// An extent input that disagrees with the declared dim fails at run time, like the reference.
    @Test func extentDisagreeingWithTheDeclaredDimThrows() throws {
        let c = G.input("c", [], .int64), n = G.input("n", [], .int64)
        let a = RandomAttributes(.uniform(low: 0, high: 1), dtype: .float32, shape: [5], seed: 1, stream: 0)
        let graph = G.graph([c, n], [Node.make(.random(a), [c, n], at: lowerHere)])
        let good = [Tensor(0, dtype: .int64), Tensor(5, dtype: .int64)]
        #expect(try LowerCheck.run(graph, good).1[0].scalars == LowerCheck.reference(graph, good)[0].scalars)
        let bad = [Tensor(0, dtype: .int64), Tensor(6, dtype: .int64)]
        #expect(throws: GraphError.self) { try LowerCheck.reference(graph, bad) }
        do {
            _ = try LowerCheck.run(graph, bad)
            Issue.record("no error")
        } catch let error as GraphError {
            #expect(error.kind == .shape && error.op == "random", "\(error)")
        }
    }

    /// Counting the thresholds below u is inverse-CDF sampling, for every (n, p) side.
    @Test(arguments: [(1, 0.5), (1, 0.8), (5, 0.3), (7, 0.9), (32, 0.5), (32, 0.02), (0, 0.4), (3, 1.0), (3, 0.0)])
    func thresholdsCountIsTheInverseCDF(n: Int, p: Double) {
        let thresholds = RandomSample.binomialThresholds(n, p > 0.5 ? 1 - p : p)
        var generator = RandomGenerator(seed: UInt64(n) &* 31 &+ UInt64(p * 100))
        for _ in 0..<2000 {
            let block = (generator.next32(), generator.next32(), generator.next32(), generator.next32())
            let u = Double((UInt64(block.0) << 32 | UInt64(block.1)) >> 11) * 0x1p-53
            let below = thresholds.filter { u >= $0 }.count
            #expect(Double(p > 0.5 ? n - below : below) == RandomSample.draw(.binomial(n: n, p: p), block))
        }
    }

    /// The integer ops Philox needs, on known values (wrapping product of two 32-bit words,
    /// shift amounts modulo 64, logical right shift of a negative pattern).
    @Test(arguments: [
        (IndexOp.bitAnd, Int64(0x1234_5678_9ABC), Int64(0xFFFF_FFFF), Int64(0x5678_9ABC)), (.bitOr, 0xF0, 0x0F, 0xFF),
        (.bitXor, -1, 0x55, ~0x55), (.shiftLeft, 1, 63, Int64.min), (.shiftLeft, 3, 64, 3), (.shiftLeft, 1, -1, Int64.min),
        (.shiftRightLogical, -1, 32, 0xFFFF_FFFF), (.shiftRightLogical, Int64.min, 63, 1), (.shiftRightLogical, 8, 67, 1),
        (.mul, 0xFFFF_FFFF, 0xFFFF_FFFF, Int64(bitPattern: 0xFFFF_FFFE_0000_0001)),
    ])
    func integerOps(_ op: IndexOp, _ a: Int64, _ b: Int64, _ expected: Int64) throws {
        let kernel = Kernel(name: "ix", buffers: [KernelBuffer(name: "out", dtype: .int64, access: .write)],
                            paramNames: ["a", "b"],
                            body: [.store(buffer: 0, index: .intConstant(0), value: .index(op, .param(0), .param(1)))])
        #expect(verifyKernel(kernel).isEmpty)
        var tensors = [Tensor(zeros: [1], dtype: .int64)]
        #expect(try KT.interpret(kernel, &tensors, [a, b]) == 0)
        #expect(tensors[0].int64(at: 0) == expected)
        if op != .mul { #expect(printKernel(kernel).contains("\(op.rawValue)(a, b)"), "\(printKernel(kernel))") }
    }
}
