import Foundation
import Testing
import TensorRuntime
@testable import GraphIR

/// `Op.random`: its type rule, reference evaluation (Philox blocks per element) and printing.
struct RandomOpTests {
    static func attrs(_ d: RandomDistribution, _ dtype: DType = .float64, shape: [Dim] = [.constant(5)],
                      seed: UInt64 = 7, stream: UInt32 = 3) -> RandomAttributes {
        RandomAttributes(d, dtype: dtype, shape: shape, seed: seed, stream: stream)
    }

    static func draw(_ a: RandomAttributes, counter: Int64, _ extents: [Int]) throws -> Tensor {
        try IT.eval(.random(a), [Tensor(Double(counter), dtype: .int64)] + extents.map { IT.s(Double($0), .int64) })
    }

    @Test func uniformElementIsItsOwnPhiloxBlock() throws {
        let a = Self.attrs(.uniform(low: -2, high: 6), seed: 0x1234_5678_9ABC_DEF0)
        let counter: Int64 = 0x1_0000_0002   // both halves of the call count are used
        let values = try Self.draw(a, counter: counter, [5]).scalars
        for i in 0..<5 {
            let block = RandomGenerator.philox(counter: (UInt32(i), 3, 2, 1), key: (0x9ABC_DEF0, 0x1234_5678))
            let u = Double((UInt64(block.0) << 32 | UInt64(block.1)) >> 11) * 0x1p-53
            #expect(values[i] == -2 + 8 * u)
        }
    }

    @Test func valuesDependOnSeedStreamAndCounterOnly() throws {
        let base = try Self.draw(Self.attrs(.normal(mean: 0, std: 1)), counter: 4, [5])
        #expect(try Self.draw(Self.attrs(.normal(mean: 0, std: 1)), counter: 4, [5]).scalars == base.scalars)
        #expect(try Self.draw(Self.attrs(.normal(mean: 0, std: 1)), counter: 5, [5]).scalars != base.scalars)
        #expect(try Self.draw(Self.attrs(.normal(mean: 0, std: 1), stream: 4), counter: 4, [5]).scalars != base.scalars)
        #expect(try Self.draw(Self.attrs(.normal(mean: 0, std: 1), seed: 8), counter: 4, [5]).scalars != base.scalars)
        // A prefix of a larger draw is the smaller draw: element i depends only on i.
        let longer = try Self.draw(Self.attrs(.normal(mean: 0, std: 1), shape: [IT.sym("n")]), counter: 4, [9])
        #expect(Array(longer.scalars.prefix(5)) == base.scalars)
    }

    /// u = 0 gives the smallest value of the support side sampled, u → 1 stays within 0...n.
    @Test(arguments: [(5, 0.3), (1, 0.5), (7, 0.9), (0, 0.4), (3, 1.0), (3, 0.0), (1000, 0.5)])
    func inverseBinomialCoversTheSupport(n: Int, p: Double) {
        let top = RandomSample.draw(.binomial(n: n, p: p), (UInt32.max, UInt32.max, 0, 0))
        let bottom = RandomSample.draw(.binomial(n: n, p: p), (0, 0, 0, 0))
        #expect(bottom == (p > 0.5 ? Double(n) : 0))
        #expect((0...Double(n)).contains(top))
        if p == 0 { #expect(top == 0) }
        if p == 1 { #expect(top == Double(n)) }
        if p == 0.5 && n > 0 { #expect(top > Double(n) / 2) }
    }

    @Test func binomialIntegerDtypes() throws {
        let t = try Self.draw(Self.attrs(.binomial(n: 5, p: 0.4), .int32, shape: [.constant(50)]), counter: 0, [50])
        #expect(t.dtype == .int32)
        #expect(t.scalars.allSatisfy { (0...5).contains($0) && $0.rounded() == $0 })
    }

    static let badRules: [(RandomAttributes, GraphError.Kind)] = [
        (attrs(.uniform(low: 1, high: 0)), .argument),
        (attrs(.uniform(low: 0, high: .infinity)), .argument),
        (attrs(.normal(mean: 0, std: -1)), .argument),
        (attrs(.binomial(n: 1, p: 1.5)), .argument),
        (attrs(.binomial(n: -1, p: 0.5)), .argument),
        (attrs(.binomial(n: 1001, p: 0.5)), .argument),
        (attrs(.uniform(low: 0, high: 1), .int32), .dtype),
        (attrs(.normal(mean: 0, std: 1), .bool), .dtype),
        (attrs(.binomial(n: 2, p: 0.5), .bool), .dtype),
        (attrs(.uniform(low: 0, high: 1), shape: [.constant(-1)]), .argument),
    ]

    @Test(arguments: badRules)
    func typeRuleRejects(_ a: RandomAttributes, _ kind: GraphError.Kind) {
        let counter = IT.const(Tensor(0, dtype: .int64))
        let node = Node.make(.random(a), [counter] + a.shape.map { _ in IT.const(IT.s(1, .int64)) }, at: IT.loc)
        #expect(node.error?.kind == kind)
        #expect(node.error?.op == "random")
    }

    @Test func counterMustBeInt64Scalar() {
        let a = Self.attrs(.uniform(low: 0, high: 1))
        let node = Node.make(.random(a), [IT.const(IT.s(0, .int32)), IT.const(IT.s(5, .int64))], at: IT.loc)
        #expect(node.error?.kind == .dtype)
        #expect(node.type == TensorType(.float64, [.constant(5)]) || node.error != nil)
    }

    @Test func extentDisagreeingWithConstantDimFailsAtRunTime() {
        #expect(throws: GraphError.self) { try Self.draw(Self.attrs(.uniform(low: 0, high: 1)), counter: 0, [4]) }
    }

    @Test func noGradientAndPrintedAttributes() throws {
        let a = Self.attrs(.binomial(n: 5, p: 0.25), .float32, shape: [.constant(2), .constant(3)])
        let node = try IT.node(.random(a), [IT.const(Tensor(0, dtype: .int64)), IT.const(IT.s(2, .int64)),
                                            IT.const(IT.s(3, .int64))])
        #expect(vjp(node, cotangent: IT.const(IT.t([2, 3], [1, 1, 1, 1, 1, 1], .float32))).allSatisfy { $0 == nil })
        let graph = Graph(name: "g", inputs: [], outputs: [node], outputCount: 1)
        let text = printGraph(graph)
        #expect(text.contains("random"))
        #expect(text.contains("dist=binomial, n=5, p=0.25, shape=[2,3], seed=7, stream=3"))
    }
}
