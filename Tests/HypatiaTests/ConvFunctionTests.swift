import Hypatia
import HypatiaTestSupport
import Testing

/// conv2d and pooling through the public API: compiled functions in every mode (reference
/// steps in the plan), training updates, and typed errors naming the user's line.
@Suite struct ConvFunctionTests {
    /// A tiny LeNet-style step: conv (half, stride 1) → relu → max pool → conv (valid, groups 2)
    /// → avg pool (ignoreBorder false) → dense → softmax cross-entropy, with SGD updates.
    static func lenetStep(mode: Mode) throws -> [[Double]] {
        let x = tensor4("x", shape: [nil, 2, 7, 7]), y = vector("y", dtype: .int32)
        let w1 = shared(RandomData.uniform([4, 2, 3, 3], in: -0.5...0.5, seed: 1).tensor(.float32), name: "w1")
        let w2 = shared(RandomData.uniform([4, 2, 2, 2], in: -0.5...0.5, seed: 2).tensor(.float32), name: "w2")
        let wd = shared(RandomData.uniform([16, 3], in: -0.5...0.5, seed: 3).tensor(.float32), name: "wd")
        let h1 = maxPool2d(relu(conv2d(x, w1, borderMode: .half)), window: (2, 2), ignoreBorder: false)   // 4×4
        let h2 = avgPool2d(conv2d(h1, w2, groups: 2, filterFlip: false), window: (2, 2), ignoreBorder: false)
        let p = softmax(dot(flatten(h2, outdim: 2), wd))   // h2: [n,4,2,2] → [n,16]
        let cost = categoricalCrossentropy(p, y).mean()
        let g = grad(cost, wrt: [w1, w2, wd])
        let lr = constant(Tensor(0.5))
        let u1: Variable = w1 - lr * g[0], u2: Variable = w2 - lr * g[1], u3: Variable = wd - lr * g[2]
        let step = try function(inputs: [x, y], outputs: [cost, p], updates: [(w1, u1), (w2, u2), (wd, u3)],
                                mode: mode)
        let xv = RandomData.uniform([3, 2, 7, 7], in: -1...1, seed: 4).tensor(.float32)
        let yv = try Tensor(shape: [3], values: [0, 2, 1], dtype: .int32)
        var results: [[Double]] = []
        for _ in 0..<3 {
            let out = try step(xv, yv)
            results += [out[0].scalars, out[1].scalars]
        }
        return results + [w1.value.scalars, w2.value.scalars, wd.value.scalars]
    }

    @Test(arguments: [Mode.fastRun, .fastCompile, .debug])
    func compiledModesAgreeWithInterpreter(_ mode: Mode) throws {
        let reference = try Self.lenetStep(mode: .interpret)
        let compiled = try Self.lenetStep(mode: mode)
        #expect(reference.count == compiled.count)
        for (a, b) in zip(reference, compiled) { #expect(close(a, b, tolerance: 1e-5), "\(a) vs \(b)") }
        let costs = [reference[0][0], reference[2][0], reference[4][0]]
        #expect(costs[2] < costs[0], "training lowers the cost: \(costs)")
    }

    /// The plan runs conv as an im2col kernel and a library product, pooling in a fused kernel.
    @Test func planHasNoReferenceSteps() throws {
        let x = tensor4("x", shape: [nil, 1, 4, 4])
        let w = shared(Tensor(ones: [2, 1, 3, 3]), name: "w")
        let f = try function(inputs: [x], outputs: [maxPool2d(conv2d(x, w, borderMode: .full) * 2, window: (3, 3))])
        let out = try f(Tensor(ones: [1, 1, 4, 4]))[0]
        #expect(out.shape == [1, 2, 2, 2])
        #expect(out.scalars == [18, 18, 18, 18, 18, 18, 18, 18])
        let plan = f.dump(.kernels)
        #expect(!plan.contains("= conv2d") && !plan.contains("= pool2d") && plan.contains("gemm"), "\(plan)")
    }

    /// The filter-flip convention: a true convolution by default, cross-correlation without flip.
    @Test func filterFlipConvention() throws {
        let x = tensor4("x"), w = tensor4("w")
        let f = try function(inputs: [x, w], outputs: [conv2d(x, w), conv2d(x, w, filterFlip: false)], mode: .interpret)
        let out = try f(try f32([1, 1, 1, 3], [1, 2, 3]), try f32([1, 1, 1, 2], [10, 1]))
        #expect(out[0].scalars == [21, 32])    // flipped filter [1, 10]: 1·1 + 2·10, 2·1 + 3·10
        #expect(out[1].scalars == [12, 23])    // cross-correlation: 1·10 + 2·1, 2·10 + 3·1
    }

    /// Shape mistakes are typed and name the user's line.
    @Test func shapeErrorsNameTheLine() throws {
        let x = tensor4("x", shape: [nil, 3, 8, 8]), w = shared(Tensor(zeros: [4, 2, 3, 3]), name: "w")
        let (y, line) = (conv2d(x, w), #line)
        let error = graphError { try function(inputs: [x], outputs: [y]) }
        #expect(error?.kind == .shape)
        #expect(error?.location == at(line))
        #expect(error?.message.contains("channel mismatch") == true, "\(String(describing: error))")
        let (z, line2) = (maxPool2d(x, window: (2, 2), stride: (0, 2)), #line)
        let error2 = graphError { try function(inputs: [x], outputs: [z]) }
        #expect(error2?.location == at(line2))
        #expect(error2?.message.contains("stride") == true)
    }

    /// Wrong run-time shapes (an input channel count the type allowed as symbolic) throw, not trap.
    @Test func runtimeShapeMismatchThrows() throws {
        let x = tensor4("x"), w = shared(Tensor(zeros: [4, 2, 3, 3]), name: "w")
        for mode in [Mode.interpret, .fastRun] {
            let f = try function(inputs: [x], outputs: [conv2d(x, w)], mode: mode)
            #expect(throws: GraphError.self) { try f(Tensor(zeros: [1, 3, 5, 5])) }
            #expect(throws: GraphError.self) { try f(Tensor(zeros: [1, 2, 2, 5])) }
        }
    }
}
