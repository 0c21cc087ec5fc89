import GraphIR
import Testing
import TensorRuntime

/// Support for the autodiff tests: inputs with deterministic values, graph evaluation with the
/// reference interpreter, and a central-difference gradient check.

/// The location the tests build nodes at.
let adHere = GraphIR.SourceLocation(fileID: "AutodiffTests", line: 1)

/// A small deterministic random generator (64-bit LCG), so every run checks the same values.
struct AutodiffRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }

    /// A value uniformly in [0, 1).
    mutating func unit() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }

    /// A value uniformly in `range`.
    mutating func next(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    /// A value whose magnitude lies in `range`, with a random sign.
    mutating func signed(in range: ClosedRange<Double>) -> Double {
        let magnitude = next(in: range)
        return unit() < 0.5 ? -magnitude : magnitude
    }
}

/// One `.input` of a checked graph: its name, declared shape (nil = symbolic) and value.
struct GradArg: Sendable {
    let name: String
    let shape: [Int?]
    let value: Tensor

    init(_ name: String, _ value: Tensor, shape: [Int?]? = nil) {
        self.name = name
        self.value = value
        self.shape = shape ?? value.shape.map { $0 }
    }

    /// A float64 input with the given values.
    static func f64(_ name: String, _ shape: [Int], _ values: [Double]) -> GradArg {
        GradArg(name, try! Tensor(shape: shape, values: values, dtype: .float64))
    }

    /// A float64 input uniformly random in `range` (or with random sign if `signed`).
    static func random(_ name: String, _ shape: [Int], _ range: ClosedRange<Double> = -1.5...1.5,
                       signed: Bool = false, seed: UInt64 = 1) -> GradArg {
        var rng = AutodiffRandom(seed: seed &+ UInt64(name.unicodeScalars.first!.value))
        let n = shape.reduce(1, *)
        let values = (0..<n).map { _ in signed ? rng.signed(in: range) : rng.next(in: range) }
        return f64(name, shape, values)
    }

    /// An int64 input (indices).
    static func ints(_ name: String, _ shape: [Int], _ values: [Int]) -> GradArg {
        GradArg(name, try! Tensor(shape: shape, values: values.map(Double.init), dtype: .int64))
    }
}

/// One row of the gradient table: a named op application over some inputs.
struct GradCase: Sendable, CustomTestStringConvertible {
    let name: String
    let args: [GradArg]
    let build: @Sendable ([Node]) -> Node

    init(_ name: String, _ args: [GradArg], _ build: @escaping @Sendable ([Node]) -> Node) {
        self.name = name
        self.args = args
        self.build = build
    }

    var testDescription: String { name }
}

/// Builds the `.input` nodes of `args`.
func adInputs(_ args: [GradArg]) -> [Node] {
    args.map { Build.input($0.name, dtype: $0.value.dtype, shape: $0.shape, at: adHere) }
}

/// Evaluates `outputs` with the reference interpreter.
func adEvaluate(_ outputs: [Node], inputs: [Node], _ values: [Tensor]) throws -> [Tensor] {
    let graph = Graph(name: "test", inputs: inputs, outputs: outputs, outputCount: outputs.count)
    return try ReferenceBackend().compile(graph).run(values)
}

/// `adSum(x * w)` for a constant w of x's evaluated shape (random, fixed seed).
func adWeightedSum(_ x: Node, shape: [Int], seed: UInt64 = 7) -> Node {
    var rng = AutodiffRandom(seed: seed)
    let w = try! Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in rng.next(in: -1...1) },
                        dtype: x.type.dtype)
    let product = Build.binary(.mul, x, Build.constant(w, at: adHere), at: adHere)
    return Build.reduce(.sum, product, axes: nil, keepDims: false, at: adHere)
}

/// True if `a` and `b` agree within `rtol` relative to max(1, |b|).
func adClose(_ a: Double, _ b: Double, rtol: Double) -> Bool {
    abs(a - b) <= rtol * max(1, abs(b))
}

/// Compares the symbolic gradient of `adSum(build(inputs) * w)` for every float input with
/// central differences (float64, step `eps`).
func adCheckGradients(_ args: [GradArg], eps: Double = 1e-6, rtol: Double = 1e-5,
                      disconnected: DisconnectedPolicy = .raise,
                      sourceLocation: Testing.SourceLocation = #_sourceLocation,
                      _ build: ([Node]) -> Node) throws {
    let nodes = adInputs(args), values = args.map(\.value)
    let out = build(nodes)
    try #require(out.error == nil, "forward graph: \(String(describing: out.error))", sourceLocation: sourceLocation)
    let forward = try adEvaluate([out], inputs: nodes, values)[0]
    let cost = adWeightedSum(out, shape: forward.shape)
    let wrt = args.indices.filter { args[$0].value.dtype.isFloatingPoint }
    let grads = gradients(of: cost, wrt: wrt.map { nodes[$0] }, disconnected: disconnected, at: adHere)
    for (k, i) in wrt.enumerated() {
        try #require(grads[k].error == nil, "grad \(args[i].name): \(String(describing: grads[k].error))",
                     sourceLocation: sourceLocation)
        #expect(grads[k].type == nodes[i].type, "grad \(args[i].name) type", sourceLocation: sourceLocation)
    }
    let symbolic = try adEvaluate(grads, inputs: nodes, values)
    let costFunction = Graph(name: "cost", inputs: nodes, outputs: [cost], outputCount: 1)
    let costExe = try ReferenceBackend().compile(costFunction)
    for (k, i) in wrt.enumerated() {
        #expect(symbolic[k].shape == values[i].shape, sourceLocation: sourceLocation)
        for e in 0..<values[i].count {
            var plus = values, minus = values
            plus[i].setDouble(values[i].double(at: e) + eps, at: e)
            minus[i].setDouble(values[i].double(at: e) - eps, at: e)
            let numeric = try (costExe.run(plus)[0].double(at: 0) - costExe.run(minus)[0].double(at: 0)) / (2 * eps)
            let analytic = symbolic[k].double(at: e)
            #expect(adClose(analytic, numeric, rtol: rtol),
                    "d cost/d \(args[i].name)[\(e)]: symbolic \(analytic), numeric \(numeric)",
                    sourceLocation: sourceLocation)
        }
    }
}

// MARK: - Build shorthands at `adHere`

func adUnary(_ op: ScalarOp, _ x: Node) -> Node { Build.unary(op, x, at: adHere) }
func adBinary(_ op: ScalarOp, _ a: Node, _ b: Node) -> Node { Build.binary(op, a, b, at: adHere) }
func adSum(_ x: Node, _ axes: [Int]? = nil, keep: Bool = false) -> Node {
    Build.reduce(.sum, x, axes: axes, keepDims: keep, at: adHere)
}
func adReduce(_ r: Reduction, _ x: Node, _ axes: [Int]?, keep: Bool = false) -> Node {
    Build.reduce(r, x, axes: axes, keepDims: keep, at: adHere)
}
func adF64(_ v: Double) -> Node { Build.scalar(v, dtype: .float64, at: adHere) }
func adI64(_ v: Int) -> Node { Build.scalar(Double(v), dtype: .int64, at: adHere) }
func adToF64(_ x: Node) -> Node { Build.cast(x, to: .float64, at: adHere) }
