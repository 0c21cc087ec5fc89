import GraphIR
import KernelIR
import Testing
import TensorRuntime

/// A graph to lower, with arguments.
struct LowerCase: CustomTestStringConvertible, Sendable {
    let name: String
    let tolerance: Double?
    let make: @Sendable () -> (Graph, [Tensor])

    init(_ name: String, tolerance: Double? = nil, _ make: @escaping @Sendable () -> (Graph, [Tensor])) {
        self.name = name
        self.tolerance = tolerance
        self.make = make
    }

    var testDescription: String { name }
}

/// Shorthands for the case tables.
private let rnd = LowerCheck.random
private let ints = LowerCheck.integers

/// One input of `shape` (nil extents symbolic) with random values of `dims` at run time.
private func arg(_ name: String, _ shape: [Int?], _ dims: [Int], _ dtype: DType = .float32,
                 seed: UInt64) -> (Node, Tensor) {
    (G.input(name, shape, dtype), rnd(dims, dtype, -2...2, seed))
}

private func unary(_ name: String, _ dtype: DType = .float32, _ f: @escaping @Sendable (Node) -> Node) -> LowerCase {
    LowerCase(name) {
        let (x, t) = arg("x", [nil, 5], [4, 5], dtype, seed: 7)
        return (G.graph([x], [f(x)]), [t])
    }
}

private func binary(_ name: String, _ a: [Int?], _ ad: [Int], _ b: [Int?], _ bd: [Int], _ dtype: DType = .float32,
                    _ f: @escaping @Sendable (Node, Node) -> Node) -> LowerCase {
    LowerCase(name) {
        let (x, tx) = arg("x", a, ad, dtype, seed: 11), (y, ty) = arg("y", b, bd, dtype, seed: 12)
        return (G.graph([x, y], [f(x, y)]), [tx, ty])
    }
}

enum LowerTables {
    static let elementwise: [LowerCase] = [
        LowerCase("W1 f32") { (Workloads.w1(), [rnd([1000], .float32, -2...2, 1)]) },
        LowerCase("W1 f64") {
            let x = G.input("x", [nil], .float64)
            let affine = G.add(G.mul(G.scalar(0.7, .float64), x), G.scalar(0.1, .float64))
            let out = G.sub(G.mul(G.un(.tanh, affine), G.un(.sigmoid, x)),
                            G.mul(G.un(.exp, G.mul(G.un(.neg, x), x)), G.scalar(0.5, .float64)))
            return (G.graph([x], [out]), [rnd([333], .float64, -2...2, 2)])
        },
        unary("unary chain") { x in
            G.un(.softplus, G.un(.erf, G.un(.abs, G.un(.expm1, G.un(.log1p, G.un(.abs, x))))))
        },
        unary("relu sign sqrt") { x in G.add(G.un(.relu, x), G.mul(G.un(.sign, x), G.un(.sqrt, G.un(.abs, x)))) },
        unary("compare select clip") { x in
            let c = Build.clip(x, G.scalar(-1), G.scalar(0.5), at: lowerHere)
            return Build.select(G.bin(.gt, x, G.scalar(0)), c, G.un(.neg, x), at: lowerHere)
        },
        unary("int32 arithmetic", .int32) { x in G.add(G.mul(x, x), G.bin(.maximum, x, G.scalar(1, .int32))) },
        unary("cast chain") { x in
            let wide = Build.cast(Build.cast(x, to: .int32, at: lowerHere), to: .float64, at: lowerHere)
            return G.add(wide, G.scalar(0.25, .float64))
        },
        binary("pow and logic", [3, 4], [3, 4], [3, 4], [3, 4]) { x, y in
            let p = G.bin(.pow, G.un(.abs, x), y)
            let both = G.bin(.logicalAnd, G.bin(.lt, x, y), G.bin(.neq, x, G.scalar(0)))
            return Build.select(both, p, G.un(.neg, p), at: lowerHere)
        },
        LowerCase("two outputs share one loop") {
            let (x, t) = arg("x", [nil, 3], [5, 3], seed: 3)
            return (G.graph([x], [G.un(.exp, x), G.mul(G.un(.tanh, x), G.scalar(3))]), [t])
        },
    ]

    static let shapes: [LowerCase] = [
        binary("row broadcast", [nil, 4], [3, 4], [4], [4]) { x, y in G.un(.tanh, G.add(x, y)) },
        binary("column broadcast", [nil, 1], [3, 1], [nil, 5], [3, 5]) { x, y in G.mul(x, y) },
        binary("outer product", [3], [3], [4], [4]) { x, y in Build.outer(x, y, at: lowerHere) },
        binary("transpose plus", [3, 4], [3, 4], [4, 3], [4, 3]) { x, y in G.add(G.t(x), G.mul(y, y)) },
        binary("3-d transpose of broadcast", [2, 3, 4], [2, 3, 4], [4], [4]) { x, y in
            Build.transpose(G.un(.exp, G.add(x, y)), axes: [2, 0, 1], at: lowerHere)
        },
        binary("dimshuffle new axes", [3, 4], [3, 4], [4, 3], [4, 3]) { x, y in
            let a = Build.dimshuffle(x, [nil, 1, nil, 0], at: lowerHere)
            return G.add(a, Build.dimshuffle(y, [nil, 0, nil, 1], at: lowerHere))
        },
        binary("reshape of broadcast", [nil, 4], [3, 4], [4], [4]) { x, y in
            G.mul(Build.reshape(G.add(x, y), [-1], at: lowerHere), G.scalar(2))
        },
        binary("reshape between shapes", [6, 4], [6, 4], [4, 6], [4, 6]) { x, y in
            G.add(Build.reshape(G.un(.exp, x), [4, 6], at: lowerHere), G.t(Build.reshape(y, [6, 4], at: lowerHere)))
        },
        LowerCase("scalar input broadcast") {
            let (x, t) = arg("x", [nil, 3], [4, 3], seed: 3), (s, ts) = arg("s", [], [], seed: 4)
            return (G.graph([x, s], [G.mul(x, s), s]), [t, ts])
        },
        LowerCase("reshape of argument output") {
            let (x, t) = arg("x", [6, 4], [6, 4], seed: 3)
            return (G.graph([x], [Build.reshape(x, [4, 6], at: lowerHere), x]), [t])
        },
    ]

    static let reductions: [LowerCase] = {
        var cases: [LowerCase] = []
        for r in Reduction.allCases {
            for axes in [[0], [1], [2], [0, 2], [0, 1, 2]] {
                for keep in [false, true] {
                    cases.append(LowerCase("\(r) \(axes) keep \(keep)") {
                        let (x, t) = arg("x", [nil, 3, 5], [4, 3, 5], seed: UInt64(axes.count))
                        let producer = r == .prod ? G.add(G.mul(x, G.scalar(0.2)), G.scalar(1)) : G.un(.exp, x)
                        return (G.graph([x], [G.reduce(r, producer, axes, keep: keep)]), [t])
                    })
                }
            }
        }
        return cases
    }()

    static let argReductions: [LowerCase] = [0, 1, 2].flatMap { axis in
        [true, false].map { isMax in
            LowerCase("arg\(isMax ? "max" : "min") axis \(axis)") {
                let (x, t) = arg("x", [nil, 3, 5], [4, 3, 5], seed: 9)
                let y = G.mul(x, G.scalar(2))
                let node = isMax ? Build.argmax(y, axis: axis, keepDims: axis == 1, at: lowerHere)
                                 : Build.argmin(y, axis: axis, keepDims: false, at: lowerHere)
                return (G.graph([x], [node]), [t])
            }
        }
    } + [
        LowerCase("argmax with ties and int32") {
            let x = G.input("x", [4, 3], .int32)
            let t = try! Tensor(shape: [4, 3], values: [1, 3, 3, 2, 2, 2, -1, 0, -1, 5, 4, 5], dtype: .int32)
            return (G.graph([x], [Build.argmax(x, axis: 1, keepDims: false, at: lowerHere),
                                  Build.argmin(x, axis: 0, keepDims: false, at: lowerHere)]), [t])
        },
        LowerCase("integer reductions") {
            let x = G.input("x", [nil, 4], .int32)
            let t = ints([3, 4], -5...5, .int32, 3)
            return (G.graph([x], [G.sum(x, [1]), G.reduce(.max, x, [0]), G.reduce(.mean, x, nil),
                                  G.sum(G.bin(.gt, x, G.scalar(0, .int32)), [0])]), [t])
        },
        LowerCase("bool and uint8 reductions") {
            let x = G.input("x", [nil, 5], .uint8)
            let t = ints([4, 5], 0...3, .uint8, 4)
            let positive = G.bin(.gt, x, G.scalar(1, .uint8))
            return (G.graph([x], [G.reduce(.max, positive, [1]), G.reduce(.min, positive, [0]),
                                  Build.argmax(x, axis: 1, keepDims: false, at: lowerHere),
                                  Build.argmin(positive, axis: 0, keepDims: true, at: lowerHere),
                                  G.reduce(.prod, x, [0]), G.reduce(.max, x, nil)]), [t])
        },
        LowerCase("variance (two passes)") {
            let (x, t) = arg("x", [nil, 6], [5, 6], seed: 4)
            return (G.graph([x], [Build.variance(x, axes: [1], keepDims: false, ddof: 1, at: lowerHere)]), [t])
        },
        LowerCase("reductions of two producers") {
            let (x, t) = arg("x", [nil, 6], [5, 6], seed: 4)
            let a = G.mul(x, G.scalar(2))
            return (G.graph([x], [G.sum(a, [0]), G.sum(a, [1]), G.reduce(.max, G.un(.exp, a), [1])]), [t])
        },
    ]
}

@Suite struct LowerTests {
    @Test(arguments: LowerTables.elementwise + LowerTables.shapes)
    func elementwiseAndShapes(_ c: LowerCase) throws {
        let (graph, arguments) = c.make()
        try LowerCheck.expectMatches(graph, arguments, tolerance: c.tolerance)
    }

    @Test(arguments: LowerTables.reductions + LowerTables.argReductions)
    func reductions(_ c: LowerCase) throws {
        let (graph, arguments) = c.make()
        try LowerCheck.expectMatches(graph, arguments, tolerance: c.tolerance)
    }
}
