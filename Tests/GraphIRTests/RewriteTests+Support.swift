import Foundation
import GraphIR
import HypatiaTestSupport
import Testing
import TensorRuntime

/// Shorthands for the rewrite tests (a namespace, clear of other suites' helpers).
enum RW {
    /// The user line every test node is built at (errors and provenance must name it).
    static let loc = GraphIR.SourceLocation(fileID: "GraphIRTests/RewriteRuleTests.swift", line: 11)

    /// One input of a test graph: declared shape (nil = symbolic), run-time shape and values.
    struct Arg: Sendable {
        let name: String
        let dtype: DType
        let declared: [Int?]
        let shape: [Int]
        let range: ClosedRange<Double>

        /// A float64 input whose first axis is symbolic when `symbolic`.
        static func f(_ name: String, _ shape: [Int], _ range: ClosedRange<Double> = -2...2,
                      symbolic: Bool = true) -> Arg {
            let declared: [Int?] = shape.enumerated().map { symbolic && $0.offset == 0 ? nil : $0.element }
            return Arg(name: name, dtype: .float64, declared: declared, shape: shape, range: range)
        }

        /// An int32 input with values in `range` (labels, indices).
        static func i(_ name: String, _ shape: [Int], _ range: ClosedRange<Double>, symbolic: Bool = true) -> Arg {
            let declared: [Int?] = shape.enumerated().map { symbolic && $0.offset == 0 ? nil : $0.element }
            return Arg(name: name, dtype: .int32, declared: declared, shape: shape, range: range)
        }

        func value(seed: UInt64) -> Tensor {
            if dtype.isInteger {
                let lo = Int(range.lowerBound), hi = Int(range.upperBound)
                return RandomData.integers(shape, in: lo...hi, seed: seed).tensor(dtype)
            }
            return RandomData.uniform(shape, in: range, seed: seed).tensor(dtype)
        }
    }

    /// The input nodes of `args`.
    static func inputs(_ args: [Arg]) -> [Node] {
        args.map { Build.input($0.name, dtype: $0.dtype, shape: $0.declared, at: loc) }
    }

    /// A graph of `build` over fresh inputs for `args`.
    static func graph(_ args: [Arg], name: String = "g", _ build: ([Node]) -> [Node]) -> Graph {
        let nodes = inputs(args)
        let outputs = build(nodes)
        return Graph(name: name, inputs: nodes, outputs: outputs, outputCount: outputs.count)
    }

    /// Deterministic argument values for `args`.
    static func values(_ args: [Arg], seed: UInt64 = 3) -> [Tensor] {
        args.enumerated().map { $0.element.value(seed: seed &+ UInt64($0.offset)) }
    }

    /// Runs `graph` with the reference interpreter.
    static func run(_ graph: Graph, _ values: [Tensor]) throws -> [Tensor] {
        try ReferenceBackend().compile(graph).run(values + graph.sharedInputs.map { node -> Tensor in
            guard case .shared(let storage) = node.op else { preconditionFailure() }
            return storage.value
        })
    }

    /// The rules named `names` from every rule set, as one set.
    static func ruleSet(_ names: [String], cse: Bool = false) -> RuleSet {
        let all = RuleCatalog.allRules
        return RuleSet("test", names.compactMap { name in all.first { $0.name == name } }, cse: cse || names.contains("cse"))
    }

    /// `graph` rewritten with the named rules to a fixpoint.
    static func rewrite(_ graph: Graph, _ names: [String], budget: RewriteBudget = .standard) -> RewriteOutcome {
        var driver = RewriteDriver(ruleSet(names), budget: budget)
        return driver.run(graph)
    }

    /// Same dtype and shape, and values within `rtol` relative to max(1, |b|); NaN matches NaN,
    /// infinities must match exactly.
    static func agree(_ a: Tensor, _ b: Tensor, rtol: Double = 1e-12) -> Bool {
        guard a.dtype == b.dtype, a.shape == b.shape else { return false }
        return zip(a.scalars, b.scalars).allSatisfy { u, v in
            if u.isNaN || v.isNaN { return u.isNaN && v.isNaN }
            if u.isInfinite || v.isInfinite { return u == v }
            return Swift.abs(u - v) <= rtol * Swift.max(1, Swift.abs(v))
        }
    }

    // MARK: Build shorthands at `loc`

    static func un(_ op: ScalarOp, _ x: Node) -> Node { Build.unary(op, x, at: loc) }
    static func bin(_ op: ScalarOp, _ a: Node, _ b: Node) -> Node { Build.binary(op, a, b, at: loc) }
    static func add(_ a: Node, _ b: Node) -> Node { bin(.add, a, b) }
    static func sub(_ a: Node, _ b: Node) -> Node { bin(.sub, a, b) }
    static func mul(_ a: Node, _ b: Node) -> Node { bin(.mul, a, b) }
    static func div(_ a: Node, _ b: Node) -> Node { bin(.div, a, b) }
    /// A float64 scalar constant.
    static func c(_ v: Double, _ dtype: DType = .float64) -> Node { Build.scalar(v, dtype: dtype, at: loc) }
    static func sum(_ x: Node, _ axes: [Int]?, keep: Bool = false) -> Node {
        Build.reduce(.sum, x, axes: axes, keepDims: keep, at: loc)
    }
    static func make(_ op: Op, _ inputs: [Node]) -> Node { Node.make(op, inputs, at: loc) }
}

/// One row of the rule table: a graph built to match `rule`, the rules the driver runs, the
/// golden text of the rewritten graph, and inputs to check values before and after.
struct RuleCase: Sendable, CustomTestStringConvertible {
    let name: String
    /// The rule that must fire.
    let rule: String
    /// The rules the driver runs (default: just `rule`).
    let rules: [String]
    let args: [RW.Arg]
    let build: @Sendable ([Node]) -> Node
    let golden: String

    init(_ name: String, _ rule: String, also: [String] = [], _ args: [RW.Arg], golden: String,
         _ build: @escaping @Sendable ([Node]) -> Node) {
        self.name = name
        self.rule = rule
        rules = [rule] + also
        self.args = args
        self.build = build
        self.golden = golden
    }

    var testDescription: String { name }
}
