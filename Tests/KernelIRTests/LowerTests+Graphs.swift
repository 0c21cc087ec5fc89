import GraphIR
import TensorRuntime

/// Source location of the nodes the lowering tests build.
let lowerHere = SourceLocation(fileID: "LowerTests", line: 1)

/// Graph-building shorthands for the lowering tests.
enum G {
    static func input(_ name: String, _ shape: [Int?], _ dtype: DType = .float32) -> Node {
        Build.input(name, dtype: dtype, shape: shape, at: lowerHere)
    }
    static func scalar(_ v: Double, _ dtype: DType = .float32) -> Node { Build.scalar(v, dtype: dtype, at: lowerHere) }
    static func un(_ op: ScalarOp, _ x: Node) -> Node { Build.unary(op, x, at: lowerHere) }
    static func bin(_ op: ScalarOp, _ a: Node, _ b: Node) -> Node { Build.binary(op, a, b, at: lowerHere) }
    static func add(_ a: Node, _ b: Node) -> Node { bin(.add, a, b) }
    static func sub(_ a: Node, _ b: Node) -> Node { bin(.sub, a, b) }
    static func mul(_ a: Node, _ b: Node) -> Node { bin(.mul, a, b) }
    static func dot(_ a: Node, _ b: Node) -> Node { Build.dot(a, b, at: lowerHere) }
    static func t(_ x: Node) -> Node { Build.transpose(x, axes: nil, at: lowerHere) }
    static func sum(_ x: Node, _ axes: [Int]?, keep: Bool = false) -> Node {
        Build.reduce(.sum, x, axes: axes, keepDims: keep, at: lowerHere)
    }
    static func reduce(_ r: Reduction, _ x: Node, _ axes: [Int]?, keep: Bool = false) -> Node {
        Build.reduce(r, x, axes: axes, keepDims: keep, at: lowerHere)
    }
    static func softmax(_ x: Node, axis: Int = -1) -> Node { Build.softmax(x, axis: axis, at: lowerHere) }
    static func logSoftmax(_ x: Node, axis: Int = -1) -> Node { Build.logSoftmax(x, axis: axis, at: lowerHere) }
    static func crossentropy(_ p: Node, _ y: Node) -> Node { Build.categoricalCrossentropy(p, y, at: lowerHere) }
    static func grads(_ cost: Node, _ wrt: [Node]) -> [Node] { gradients(of: cost, wrt: wrt, at: lowerHere) }
    static func graph(_ inputs: [Node], _ outputs: [Node], name: String = "f") -> Graph {
        Graph(name: name, inputs: inputs, outputs: outputs, outputCount: outputs.count)
    }
}

/// The benchmark graphs (bench/README.md).
enum Workloads {
    /// W1: `tanh(a*x + b) * sigmoid(x) - exp(-x*x) * 0.5`.
    static func w1(count: Int? = nil) -> Graph {
        let x = G.input("x", [count])
        let affine = G.add(G.mul(G.scalar(0.7), x), G.scalar(0.1))
        let left = G.mul(G.un(.tanh, affine), G.un(.sigmoid, x))
        let right = G.mul(G.un(.exp, G.mul(G.un(.neg, x), x)), G.scalar(0.5))
        return G.graph([x], [G.sub(left, right)], name: "w1")
    }

    /// W2: MLP in-hidden(tanh)-out(softmax), mean cross-entropy, SGD on the four parameters;
    /// parameters are explicit inputs (outputs: loss, then the four updated parameters).
    static func w2(batch: Int?, sizes: (Int, Int, Int) = (784, 500, 10), dtype: DType = .float32) -> Graph {
        let x = G.input("x", [batch, sizes.0], dtype), y = G.input("y", [batch], .int64)
        let w1 = G.input("W1", [sizes.0, sizes.1], dtype), b1 = G.input("b1", [sizes.1], dtype)
        let w2 = G.input("W2", [sizes.1, sizes.2], dtype), b2 = G.input("b2", [sizes.2], dtype)
        let h = G.un(.tanh, G.add(G.dot(x, w1), b1))
        let p = G.softmax(G.add(G.dot(h, w2), b2))
        let loss = G.reduce(.mean, G.crossentropy(p, y), nil)
        let params = [w1, b1, w2, b2]
        let updated = zip(params, G.grads(loss, params)).map { G.sub($0, G.mul(G.scalar(0.01, dtype), $1)) }
        return Graph(name: "w2", inputs: [x, y] + params, outputs: [loss] + updated, outputCount: 1)
    }
}
