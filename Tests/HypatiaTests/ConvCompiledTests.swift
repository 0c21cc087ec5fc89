import Hypatia
import HypatiaTestSupport
import Testing

/// conv2d and its gradients lowered to im2col kernels and library products (`.fastRun`, LLVM)
/// against the reference interpreter, over a table of geometries, in float32 and float64.
@Suite struct ConvCompiledTests {
    /// A convolution geometry: input shape, filter shape and the conv2d options.
    struct Geometry: Sendable, CustomTestStringConvertible {
        let x: [Int], w: [Int]
        let border: BorderMode
        var stride = (1, 1), dilation = (1, 1), groups = 1, flip = true

        var testDescription: String {
            "x\(x) w\(w) \(border) stride \(stride) dilation \(dilation) groups \(groups) flip \(flip)"
        }
    }

    static let geometries: [Geometry] = [
        Geometry(x: [2, 1, 7, 6], w: [3, 1, 3, 2], border: .valid),
        Geometry(x: [2, 2, 5, 5], w: [2, 2, 3, 3], border: .full, flip: false),
        Geometry(x: [1, 3, 6, 7], w: [4, 3, 3, 3], border: .half, stride: (2, 2)),
        Geometry(x: [2, 4, 7, 5], w: [6, 2, 2, 3], border: .padding(1, 2), stride: (2, 1), groups: 2),
        Geometry(x: [1, 2, 9, 8], w: [2, 2, 3, 2], border: .valid, dilation: (2, 3), flip: false),
        Geometry(x: [3, 3, 5, 6], w: [3, 1, 2, 2], border: .half, stride: (1, 2), dilation: (2, 1), groups: 3),
        Geometry(x: [2, 2, 4, 4], w: [2, 2, 1, 1], border: .padding(1, 0), stride: (3, 2)),
    ]

    /// conv2d, and through `grad` conv2dGradInput and conv2dGradFilters, compiled with `mode`.
    static func run(_ g: Geometry, _ dtype: DType, mode: Mode) throws -> [Tensor] {
        let x = tensor4("x", dtype: dtype), w = tensor4("w", dtype: dtype)
        let y = conv2d(x, w, borderMode: g.border, stride: g.stride, dilation: g.dilation, groups: g.groups,
                       filterFlip: g.flip)
        let probe = tensor4("r", dtype: dtype)
        let grads = grad((y * probe).sum(), wrt: [x, w])
        let f = try function(inputs: [x, w, probe], outputs: [y] + grads, mode: mode)
        let xv = RandomData.uniform(g.x, in: -1...1, seed: 1).tensor(dtype)
        let wv = RandomData.uniform(g.w, in: -1...1, seed: 2).tensor(dtype)
        let shape = try function(inputs: [x, w], outputs: [y], mode: .interpret)(xv, wv)[0].shape
        return try f(xv, wv, RandomData.uniform(shape, in: -1...1, seed: 3).tensor(dtype))
    }

    @Test(arguments: geometries, [DType.float32, .float64])
    func compiledMatchesInterpreter(_ g: Geometry, _ dtype: DType) throws {
        let expected = try Self.run(g, dtype, mode: .interpret)
        let actual = try Self.run(g, dtype, mode: .fastRun)
        let tolerance = dtype == .float32 ? 1e-5 : 1e-12
        for (name, (a, b)) in zip(["y", "dx", "dw"], zip(actual, expected)) {
            #expect(a.shape == b.shape && a.dtype == b.dtype, "\(name): \(a.shape) vs \(b.shape)")
            #expect(close(a.scalars, b.scalars, tolerance: tolerance), "\(name) differs")
        }
    }

    /// A convolutional training step (conv → relu → conv with groups → dense → softmax
    /// cross-entropy, SGD) lowers to kernels and library products only: no reference step.
    @Test func trainingStepHasNoReferenceSteps() throws {
        let x = tensor4("x", shape: [nil, 2, 6, 6]), y = vector("y", dtype: .int32)
        let w1 = shared(RandomData.uniform([4, 2, 3, 3], in: -0.5...0.5, seed: 1).tensor(.float32), name: "w1")
        let w2 = shared(RandomData.uniform([4, 2, 2, 2], in: -0.5...0.5, seed: 2).tensor(.float32), name: "w2")
        let wd = shared(RandomData.uniform([36, 3], in: -0.5...0.5, seed: 3).tensor(.float32), name: "wd")
        let h1 = relu(conv2d(x, w1, borderMode: .half))
        let h2 = relu(conv2d(h1, w2, stride: (2, 2), groups: 2, filterFlip: false))   // [n,4,3,3]
        let cost = categoricalCrossentropy(softmax(dot(flatten(h2, outdim: 2), wd)), y).mean()
        let params = [w1, w2, wd]
        let updates = zip(params, grad(cost, wrt: params)).map { p, g in (p, p - 0.1 * g) }
        let step = try function(inputs: [x, y], outputs: [cost], updates: updates)
        let plan = step.dump(.kernels)
        #expect(!plan.contains("reference "), "\(plan)")
        #expect(plan.contains("gemm"))
        let xv = RandomData.uniform([3, 2, 6, 6], in: -1...1, seed: 4).tensor(.float32)
        let yv = try Tensor(shape: [3], values: [0, 2, 1], dtype: .int32)
        let costs = try (0..<4).map { _ in try step(xv, yv)[0].scalar }
        #expect(costs[3] < costs[0], "training lowers the cost: \(costs)")
    }

    /// Gradients of a conv cost through the compiled path (first and second order) against
    /// central differences.
    @Test(arguments: [geometries[2], geometries[3], geometries[5]])
    func gradientsMatchCentralDifferences(_ g: Geometry) throws {
        let points = [RandomData.uniform(g.x, in: -1...1, seed: 5).tensor(), RandomData.uniform(g.w, in: -1...1, seed: 6).tensor()]
        func conv(_ v: [Variable]) -> Variable {
            conv2d(v[0], v[1], borderMode: g.border, stride: g.stride, dilation: g.dilation, groups: g.groups,
                   filterFlip: g.flip)
        }
        _ = try checkGradient({ v in (tanh(conv(v)) * conv(v)).sum() }, at: points)
        _ = try checkGradient({ v in
            let gw = grad((conv(v) * conv(v)).sum(), wrt: [v[1]])[0]
            return (gw * gw).sum()
        }, at: points, tolerance: 1e-3)
    }
}
