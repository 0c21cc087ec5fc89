import Foundation
import Testing
import TensorRuntime
@testable import GraphIR

/// Shorthands for interpreter tests (a namespace, to stay clear of other suites' helpers).
enum IT {
    /// The location interpreter tests build nodes at (errors must carry it).
    static let loc = GraphIR.SourceLocation(fileID: "GraphIRTests/InterpreterTests.swift", line: 7)

    /// A tensor of `dtype` from Doubles.
    static func t(_ shape: [Int], _ values: [Double], _ dtype: DType = .float64) -> Tensor {
        try! Tensor(shape: shape, values: values, dtype: dtype)
    }

    /// A rank-1 tensor of `dtype`.
    static func vec(_ values: [Double], _ dtype: DType = .float64) -> Tensor { t([values.count], values, dtype) }

    /// A rank-0 tensor of `dtype`.
    static func s(_ value: Double, _ dtype: DType = .float64) -> Tensor { t([], [value], dtype) }

    /// A constant node.
    static func const(_ value: Tensor) -> Node { Node.make(.constant(value), [], at: loc) }

    /// An input node of the given type.
    static func input(_ name: String, _ dtype: DType, _ shape: [Dim]) -> Node {
        Node.make(.input(name: name, TensorType(dtype, shape)), [], at: loc)
    }

    /// A node applying `op` to `inputs`, checked to have no recorded error.
    static func node(_ op: Op, _ inputs: [Node]) throws -> Node {
        let node = Node.make(op, inputs, at: loc)
        try node.check()
        return node
    }

    /// A fresh symbolic dim.
    static func sym(_ hint: String) -> Dim { .symbol(.fresh(hint: hint)) }

    /// Evaluates `op` applied to constant operands holding `operands`.
    static func eval(_ op: Op, _ operands: [Tensor]) throws -> Tensor {
        let node = try node(op, operands.map(const))
        var bindings: [DimSymbol: Int] = [:]
        return try evaluate(node, operands, bindings: &bindings)
    }

    /// Compiles `outputs` over `inputs` with the reference backend and runs it once.
    static func run(_ inputs: [Node], _ outputs: [Node], _ arguments: [Tensor]) throws -> [Tensor] {
        let graph = Graph(name: "test", inputs: inputs, outputs: outputs, outputCount: outputs.count)
        return try ReferenceBackend().compile(graph).run(arguments)
    }

    /// Equal dtype and shape, elements within `tolerance` (relative above 1, absolute below);
    /// NaN matches NaN and infinities must match exactly.
    static func matches(_ a: Tensor, _ b: Tensor, tolerance: Double = 0) -> Bool {
        guard a.dtype == b.dtype, a.shape == b.shape else { return false }
        return zip(a.scalars, b.scalars).allSatisfy { u, v in
            if u.isNaN || v.isNaN { return u.isNaN && v.isNaN }
            if u.isInfinite || v.isInfinite { return u == v }
            return Swift.abs(u - v) <= tolerance * Swift.max(1, Swift.abs(v))
        }
    }

    /// `dtype[shape] scalars` for failure messages.
    static func show(_ t: Tensor) -> String { "\(t.dtype)\(t.shape) \(t.scalars)" }
}

/// One forward case: `op` on constant operands must give `expected`.
struct OpCase: Sendable, CustomTestStringConvertible {
    let name: String
    let op: Op
    let operands: [Tensor]
    let expected: Tensor
    let tolerance: Double

    init(_ name: String, _ op: Op, _ operands: [Tensor], _ expected: Tensor, tolerance: Double = 0) {
        self.name = name
        self.op = op
        self.operands = operands
        self.expected = expected
        self.tolerance = tolerance
    }

    var testDescription: String { name }

    /// Runs the case and records a failure naming it.
    func check() throws {
        let result = try IT.eval(op, operands)
        #expect(IT.matches(result, expected, tolerance: tolerance),
                "\(name): got \(IT.show(result)), want \(IT.show(expected))")
    }
}

/// One failing case: `op` on constant operands must throw `kind` mentioning `fragments`.
struct OpErrorCase: Sendable, CustomTestStringConvertible {
    let name: String
    let op: Op
    let operands: [Tensor]
    let kind: GraphError.Kind
    let fragments: [String]

    init(_ name: String, _ op: Op, _ operands: [Tensor], _ kind: GraphError.Kind, _ fragments: [String]) {
        self.name = name
        self.op = op
        self.operands = operands
        self.kind = kind
        self.fragments = fragments
    }

    var testDescription: String { name }

    func check() {
        IT.expectError(kind, fragments) { _ = try IT.eval(op, operands) }
    }
}

extension IT {
    /// Expects `body` to throw a GraphError of `kind` whose text contains every fragment and
    /// which is located at `location` (when given).
    static func expectError(_ kind: GraphError.Kind, _ fragments: [String],
                            at location: GraphIR.SourceLocation? = IT.loc,
                            sourceLocation: Testing.SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected a \(kind) error, nothing was thrown", sourceLocation: sourceLocation)
        } catch let error as GraphError {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
            for fragment in fragments {
                #expect(error.description.contains(fragment), "'\(fragment)' not in: \(error)",
                        sourceLocation: sourceLocation)
            }
            if let location { #expect(error.location == location, "\(error)", sourceLocation: sourceLocation) }
        } catch {
            Issue.record("expected GraphError, got \(error)", sourceLocation: sourceLocation)
        }
    }
}
