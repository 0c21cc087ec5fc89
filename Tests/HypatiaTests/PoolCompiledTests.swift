import GraphIR
import Hypatia
import HypatiaTestSupport
import KernelIR
import Testing

/// A pooling of the public API, for parameterized tests.
struct PoolSpec: Sendable, CustomTestStringConvertible {
    enum Kind: Sendable { case max, averageIncludingPadding, averageExcludingPadding }
    var kind: Kind
    var window: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)
    var ignoreBorder = true

    func apply(_ x: Variable) -> Variable {
        switch kind {
        case .max: return maxPool2d(x, window: window, stride: stride, padding: padding, ignoreBorder: ignoreBorder)
        case .averageIncludingPadding, .averageExcludingPadding:
            return avgPool2d(x, window: window, stride: stride, padding: padding, ignoreBorder: ignoreBorder,
                             includePadding: kind == .averageIncludingPadding)
        }
    }

    var testDescription: String {
        "\(kind) window \(window) stride \(stride.map { "\($0)" } ?? "=window") pad \(padding) ignoreBorder \(ignoreBorder)"
    }

    static let table: [PoolSpec] = [Kind.max, .averageIncludingPadding, .averageExcludingPadding].flatMap { k in
        [PoolSpec(kind: k, window: (2, 2)),
         PoolSpec(kind: k, window: (2, 2), ignoreBorder: false),
         PoolSpec(kind: k, window: (3, 3), stride: (2, 2), ignoreBorder: false),
         PoolSpec(kind: k, window: (3, 2), stride: (1, 1), padding: (1, 1)),
         PoolSpec(kind: k, window: (3, 3), stride: (2, 1), padding: (2, 1))]
    }
}

/// Pooling compiled to LLVM kernels (`.fastRun`) against the reference interpreter, the fusion
/// structure of a convnet training step, and gradients checked numerically through the compiled
/// path.
@Suite struct PoolCompiledTests {
    /// pool, its gradient (pool2dGrad), the gradient of that in gy (pool2dGradGrad) and a pooling
    /// of a fused producer, on 7×6 planes with a symbolic batch; and arguments with distinct
    /// values and with many ties.
    static func compile(_ spec: PoolSpec, _ dtype: DType, mode: Mode) throws -> (CompiledFunction, [[Tensor]]) {
        let x = tensor4("x", dtype: dtype, shape: [nil, 3, 7, 6]), d = tensor4("d", dtype: dtype, shape: [nil, 3, 7, 6])
        let y = spec.apply(x)
        let (ho, wo) = (y.type.shape[2].constantValue!, y.type.shape[3].constantValue!)
        let c = tensor4("c", dtype: dtype, shape: [nil, 3, ho, wo])
        let gx = grad((y * c).sum(), wrt: x)
        let gc = grad((gx * d).sum(), wrt: c)
        let fused = spec.apply(relu(x) * 2)
        let f = try function(inputs: [x, c, d], outputs: [y, gx, gc, fused], mode: mode)
        let shape = [2, 3, 7, 6]
        let xv = RandomData.uniform(shape, in: -2...2, seed: 5).tensor(dtype)
        let ties = try Tensor(shape: shape, values: xv.scalars.map { ($0 + 2).rounded(.down) }, dtype: dtype)
        let rest = [RandomData.uniform([2, 3, ho, wo], in: -1...1, seed: 6).tensor(dtype),
                    RandomData.uniform(shape, in: -1...1, seed: 7).tensor(dtype)]
        return (f, [[xv] + rest, [ties] + rest])
    }

    @Test(arguments: PoolSpec.table)
    func compiledMatchesInterpreter(_ spec: PoolSpec) throws {
        for dtype in [DType.float32, .float64] {
            let (reference, argumentSets) = try Self.compile(spec, dtype, mode: .interpret)
            let (f, _) = try Self.compile(spec, dtype, mode: .fastRun)
            let tolerance = dtype == .float32 ? 1e-5 : 1e-12
            for args in argumentSets {
                for (a, e) in zip(try f.call(args), try reference.call(args)) {
                    #expect(a.shape == e.shape && close(a.scalars, e.scalars, tolerance: tolerance),
                            "\(spec.testDescription) \(dtype)")
                }
            }
            let referenceSteps = f.plan!.steps.filter { if case .reference = $0 { return true } else { return false } }
            #expect(referenceSteps.isEmpty, "\(f.dump(.kernels))")
        }
    }

    /// conv → relu → max pool → dense → softmax cross-entropy with SGD updates: the poolings are
    /// kernels, not reference steps; relu(conv + b) is computed inline by the forward pooling
    /// (which stores the flattened dense input) and by relu's gradient, whose kernel computes
    /// the pooling gradient inline too; results match the interpreter.
    @Test func convnetTrainingStepFusesPooling() throws {
        let (f, run) = try Self.convnetStep(mode: .fastRun)
        let plan = f.plan!
        let nodes = Array(plan.bufferNodes.values)
        let isPooling: (Node) -> Bool = { ["pool2d", "pool2dGrad", "pool2dGradGrad"].contains($0.op.name) }
        #expect(!plan.steps.contains { step in
            if case .reference(let node, _, _) = step { return isPooling(node) }
            return false
        }, "\(f.dump(.kernels))")
        #expect(nodes.allSatisfy { !isPooling($0) || $0.op.name == "pool2d" },
                "pooling gradients are inline:\n\(f.dump(.kernels))")
        #expect(!nodes.contains { $0.op.name == "relu" }, "relu(conv + b) is inline:\n\(f.dump(.kernels))")
        let (unpooled, _) = try Self.convnetStep(mode: .fastRun, pool: false)
        // At most one kernel more: the pooling gradient (an unrolled first-maximum scan) is
        // stored once for its two readers, the bias gradient and the channel-major cotangent
        // of the filter-gradient product, instead of being recomputed by both.
        #expect(plan.kernels.count <= unpooled.plan!.kernels.count + 1,
                "pooling adds at most one kernel:\n\(f.dump(.kernels))\nwithout pooling:\n\(unpooled.dump(.kernels))")
        let (_, reference) = try Self.convnetStep(mode: .interpret)
        for (a, b) in zip(try run(), try reference()) { #expect(close(a, b, tolerance: 1e-5), "\(a) vs \(b)") }
    }

    /// The compiled step and a closure running it twice (outputs, then the updated weights);
    /// without `pool` the dense layer reads relu(conv + b) directly.
    static func convnetStep(mode: Mode, pool: Bool = true) throws -> (CompiledFunction, () throws -> [[Double]]) {
        let x = tensor4("x", shape: [nil, 1, 8, 8]), labels = vector("y", dtype: .int32)
        let w = shared(RandomData.uniform([4, 1, 3, 3], in: -0.5...0.5, seed: 1).tensor(.float32), name: "w")
        let b = shared(RandomData.uniform([4], in: -0.1...0.1, seed: 2).tensor(.float32), name: "b")
        let wd = shared(RandomData.uniform([pool ? 36 : 144, 3], in: -0.5...0.5, seed: 3).tensor(.float32), name: "wd")
        let h = relu(conv2d(x, w) + b.dimshuffle("x", 0, "x", "x"))   // [n, 4, 6, 6]
        let p = pool ? maxPool2d(h, window: (2, 2)) : h                   // [n, 4, 3, 3]
        let cost = categoricalCrossentropy(softmax(dot(flatten(p, outdim: 2), wd)), labels).mean()
        let g = grad(cost, wrt: [w, b, wd])
        let lr = constant(Tensor(0.1))
        let f = try function(inputs: [x, labels], outputs: [cost],
                             updates: [(w, w - lr * g[0]), (b, b - lr * g[1]), (wd, wd - lr * g[2])], mode: mode)
        let xv = RandomData.uniform([5, 1, 8, 8], in: -1...1, seed: 4).tensor(.float32)
        let yv = try Tensor(shape: [5], values: [0, 2, 1, 1, 0], dtype: .int32)
        return (f, {
            let first = try f(xv, yv)[0].scalars, second = try f(xv, yv)[0].scalars
            return [first, second, w.value.scalars, b.value.scalars, wd.value.scalars]
        })
    }

    /// Gradients (and second derivatives through pool2dGradGrad) checked against central
    /// differences, compiled with `.fastRun`.
    @Test(arguments: [PoolSpec.table[0], PoolSpec.table[3], PoolSpec.table[4], PoolSpec.table[7],
                      PoolSpec.table[13], PoolSpec.table[14]])
    func gradientsMatchCentralDifferences(_ spec: PoolSpec) throws {
        let x = RandomData.uniform([1, 2, 5, 4], in: -1...1, seed: 8).tensor(.float64)
        let weights = constant(RandomData.uniform([1, 2, 5, 4], in: -1...1, seed: 9).tensor(.float64))
        let first = try checkGradient({ p in (spec.apply(tanh(p[0] * 1.5)) * spec.apply(p[0])).sum() }, at: [x])
        #expect(first.largestError < 1e-4)
        let second = try checkGradient({ p in
            let g = grad((spec.apply(p[0]) * spec.apply(p[0])).sum(), wrt: p[0])
            return (g * weights).sum()
        }, at: [x])
        #expect(second.largestError < 1e-4)
    }
}
