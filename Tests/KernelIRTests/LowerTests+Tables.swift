import GraphIR
import KernelIR
import Testing
import TensorRuntime

/// Random arguments for `inputs` (float inputs uniform in -2...2, int64 labels in 0..<classes).
private func arguments(_ shapes: [[Int]], _ dtypes: [DType], classes: Int = 4, seed: UInt64 = 21) -> [Tensor] {
    zip(shapes, dtypes).enumerated().map { i, sd in
        sd.1.isInteger ? LowerCheck.integers(sd.0, 0...(classes - 1), sd.1, seed: seed &+ UInt64(i))
                       : LowerCheck.random(sd.0, sd.1, in: -2...2, seed: seed &+ UInt64(i))
    }
}

/// The MLP of W2 with its gradients (small sizes), in `dtype`.
private func mlpCase(_ dtype: DType, batch: Int?, tolerance: Double? = nil) -> LowerCase {
    LowerCase("MLP training step \(dtype) batch \(batch.map(String.init) ?? "?")", tolerance: tolerance) {
        let g = Workloads.w2(batch: batch, sizes: (9, 7, 5), dtype: dtype)
        return (g, arguments([[6, 9], [6], [9, 7], [7], [7, 5], [5]], [dtype, .int64, dtype, dtype, dtype, dtype],
                             classes: 5))
    }
}

extension LowerTables {
    static let softmax: [LowerCase] = [
        LowerCase("softmax last axis") {
            let x = G.input("x", [nil, 6])
            return (G.graph([x], [G.softmax(G.mul(x, G.scalar(3)))]), arguments([[4, 6]], [.float32]))
        },
        LowerCase("softmax axis 0") {
            let x = G.input("x", [nil, 6])
            return (G.graph([x], [G.softmax(x, axis: 0)]), arguments([[4, 6]], [.float32]))
        },
        LowerCase("logSoftmax of 3-d, middle axis") {
            let x = G.input("x", [2, nil, 3], .float64)
            return (G.graph([x], [G.logSoftmax(x, axis: 1)]), arguments([[2, 5, 3]], [.float64]))
        },
        LowerCase("cross-entropy rows with labels") {
            let z = G.input("z", [nil, 5]), y = G.input("y", [nil], .int64)
            let graph = G.graph([z, y], [G.crossentropy(G.softmax(z), y)])
            return (graph, arguments([[6, 5], [6]], [.float32, .int64], classes: 5))
        },
        LowerCase("negative labels wrap") {
            let z = G.input("z", [4, 5]), y = G.input("y", [4], .int64)
            let labels = try! Tensor(shape: [4], values: [-1, 0, -5, 4], dtype: .int64)
            return (G.graph([z, y], [G.crossentropy(G.softmax(z), y)]), [arguments([[4, 5]], [.float32])[0], labels])
        },
        LowerCase("cross-entropy with one-hot targets") {
            let z = G.input("z", [nil, 5]), t = G.input("t", [nil, 5])
            let graph = G.graph([z, t], [G.crossentropy(G.softmax(z), t)])
            return (graph, arguments([[6, 5], [6, 5]], [.float32, .float32]))
        },
        LowerCase("mean cross-entropy and logit gradient") {
            let z = G.input("z", [nil, 5]), y = G.input("y", [nil], .int64)
            let loss = G.reduce(.mean, G.crossentropy(G.softmax(z), y), nil)
            let graph = G.graph([z, y], [loss] + G.grads(loss, [z]))
            return (graph, arguments([[6, 5], [6]], [.float32, .int64], classes: 5))
        },
        LowerCase("logSoftmax nll gradient f64") {
            let z = G.input("z", [nil, 5], .float64), y = G.input("y", [nil], .int64)
            let rows = Build.arange(G.scalar(0, .int64), Build.dimension(z, axis: 0, at: lowerHere),
                                    G.scalar(1, .int64), dtype: .int64, at: lowerHere)
            let picked = Build.advancedIndex(G.logSoftmax(z), [rows, y], at: lowerHere)
            let loss = G.un(.neg, G.reduce(.sum, picked, nil))
            let graph = G.graph([z, y], [loss] + G.grads(loss, [z]))
            return (graph, arguments([[6, 5], [6]], [.float64, .int64], classes: 5))
        },
        LowerCase("softmax gradient with outer weights") {
            let z = G.input("z", [3, 4]), w = G.input("w", [3, 4])
            let cost = G.sum(G.mul(G.softmax(z), w), nil)
            return (G.graph([z, w], G.grads(cost, [z, w])), arguments([[3, 4], [3, 4]], [.float32, .float32]))
        },
    ]

    static let linalg: [LowerCase] = [
        LowerCase("matrix product and bias tanh") {
            let x = G.input("x", [nil, 5]), w = G.input("W", [5, 3]), b = G.input("b", [3])
            let graph = G.graph([x, w, b], [G.un(.tanh, G.add(G.dot(x, w), b))])
            return (graph, arguments([[4, 5], [5, 3], [3]], [.float32, .float32, .float32]))
        },
        LowerCase("transposed operands") {
            let a = G.input("a", [5, 4], .float64), b = G.input("b", [3, 5], .float64)
            return (G.graph([a, b], [G.dot(G.t(a), G.t(b)), G.dot(b, a), G.dot(G.t(b), G.t(G.t(b)))]),
                    arguments([[5, 4], [3, 5]], [.float64, .float64]))
        },
        LowerCase("scaled products fold into alpha") {
            let a = G.input("a", [4, 5], .float64), b = G.input("b", [5, 3], .float64)
            let scaledOperand = G.dot(G.mul(G.scalar(2, .float64), a), b)
            let scaledResult = G.un(.neg, G.bin(.div, G.dot(a, b), G.scalar(4, .float64)))
            return (G.graph([a, b], [scaledOperand, scaledResult]), arguments([[4, 5], [5, 3]], [.float64, .float64]))
        },
        LowerCase("vector products") {
            let m = G.input("m", [4, 5], .float64), v = G.input("v", [5], .float64), u = G.input("u", [4], .float64)
            return (G.graph([m, v, u], [G.dot(m, v), G.dot(u, m), G.dot(v, v), G.dot(G.t(m), u)]),
                    arguments([[4, 5], [5], [4]], [.float64, .float64, .float64]))
        },
        LowerCase("batchedDot plain and transposed") {
            let a = G.input("a", [nil, 3, 4], .float64), b = G.input("b", [nil, 4, 2], .float64)
            let bt = Build.transpose(b, axes: [0, 2, 1], at: lowerHere)
            let at = Build.transpose(a, axes: [0, 2, 1], at: lowerHere)
            return (G.graph([a, b], [Build.batchedDot(a, b, at: lowerHere),
                                     Build.batchedDot(Build.batchedDot(bt, at, at: lowerHere), a, at: lowerHere)]),
                    arguments([[2, 3, 4], [2, 4, 2]], [.float64, .float64]))
        },
        LowerCase("integer dot falls back") {
            let a = G.input("a", [3, 4], .int32), b = G.input("b", [4, 2], .int32)
            return (G.graph([a, b], [G.dot(a, b)]), arguments([[3, 4], [4, 2]], [.int32, .int32], classes: 7))
        },
        mlpCase(.float32, batch: nil),
        mlpCase(.float64, batch: 6),
    ]

    static let indexing: [LowerCase] = [
        LowerCase("slices with steps and indices") {
            let x = G.input("x", [nil, 6])
            let reversed = SliceSpec.range(start: nil, stop: nil, step: -1)
            let a = Build.slice(x, [.range(start: 1, stop: nil, step: 2), reversed], at: lowerHere)
            let b = Build.slice(x, [.index(-1), .range(start: -4, stop: -1, step: 1)], at: lowerHere)
            let c = Build.slice(x, [.all, .index(2)], at: lowerHere)
            return (G.graph([x], [G.un(.exp, a), b, c]), arguments([[5, 6]], [.float32]))
        },
        LowerCase("gather with index arrays") {
            let x = G.input("x", [nil, 4, 3]), i = G.input("i", [2, 3], .int64), j = G.input("j", [3], .int64)
            let picked = Build.advancedIndex(G.un(.tanh, x), [i, j], at: lowerHere)
            let idx = try! Tensor(shape: [2, 3], values: [0, -1, 2, 4, 1, -5], dtype: .int64)
            let jdx = try! Tensor(shape: [3], values: [3, -2, 0], dtype: .int64)
            return (G.graph([x, i, j], [picked]), [arguments([[5, 4, 3]], [.float32])[0], idx, jdx])
        },
        LowerCase("set and increment subtensors fall back") {
            let x = G.input("x", [5, 4]), v = G.input("v", [2, 4]), i = G.input("i", [3], .int64)
            let region = Build.slice(x, [.range(start: 1, stop: 3, step: 1)], at: lowerHere)
            let set = Build.setSubtensor(region, G.mul(v, G.scalar(2)), accumulate: false, at: lowerHere)
            let rows = Build.advancedIndex(x, [i], at: lowerHere)
            let inc = Build.setSubtensor(rows, G.scalar(1), accumulate: true, at: lowerHere)
            let idx = try! Tensor(shape: [3], values: [1, 1, -1], dtype: .int64)
            return (G.graph([x, v, i], [set, inc]), arguments([[5, 4], [2, 4]], [.float32, .float32]) + [idx])
        },
        LowerCase("concatenate and arange") {
            let x = G.input("x", [nil, 3]), y = G.input("y", [2, 3])
            let joined = Build.concatenate([G.un(.exp, x), y], axis: 0, at: lowerHere)
            let (half, three) = (G.scalar(0.5, .float64), G.scalar(3, .float64))
            let steps = Build.arange(half, three, half, dtype: nil, at: lowerHere)
            return (G.graph([x, y], [joined, G.mul(steps, steps)]), arguments([[4, 3], [2, 3]], [.float32, .float32]))
        },
        LowerCase("gradient of slice and gather") {
            let x = G.input("x", [5, 4]), i = G.input("i", [3], .int64)
            let odd = Build.slice(x, [.range(start: 1, stop: nil, step: 2)], at: lowerHere)
            let picked = Build.advancedIndex(x, [i], at: lowerHere)
            let cost = G.add(G.sum(G.un(.exp, odd), nil), G.sum(G.un(.tanh, picked), nil))
            let idx = try! Tensor(shape: [3], values: [2, 0, 2], dtype: .int64)
            return (G.graph([x, i], [cost] + G.grads(cost, [x])), arguments([[5, 4]], [.float32]) + [idx])
        },
    ]
}

extension LowerTests {
    @Test(arguments: LowerTables.softmax + LowerTables.linalg + LowerTables.indexing)
    func rowsProductsAndIndexing(_ c: LowerCase) throws {
        let (graph, arguments) = c.make()
        try LowerCheck.expectMatches(graph, arguments, tolerance: c.tolerance)
    }
}

extension LowerTables {
    static let edges: [LowerCase] = [
        LowerCase("rank-0 graph") {
            let x = G.input("x", [], .float64)
            return (G.graph([x], [G.mul(G.un(.exp, x), x), G.sum(x, nil)]), [Tensor(1.5, dtype: .float64)])
        },
        LowerCase("shared variables after the inputs") {
            let w = SharedStorage(name: "w", type: TensorType(.float32, [3]), value: LowerCheck.random([3], seed: 5))
            let x = G.input("x", [nil, 3]), shared = Build.shared(w, at: lowerHere)
            let y = G.add(G.mul(x, shared), G.scalar(1))
            let graph = Graph(name: "f", inputs: [x], outputs: [y, G.sub(shared, G.sum(y, [0]))], outputCount: 1)
            return (graph, [LowerCheck.random([4, 3], seed: 6), w.value])
        },
        LowerCase("empty batch") {
            let g = Workloads.w2(batch: nil, sizes: (4, 3, 2))
            let shapes = [[0, 4], [0], [4, 3], [3], [3, 2], [2]]
            return (g, shapes.enumerated().map { i, s in
                i == 1 ? Tensor(zeros: s, dtype: .int64) : LowerCheck.random(s, seed: UInt64(i))
            })
        },
        LowerCase("repeated operands and outputs") {
            let x = G.input("x", [nil, 2])
            let y = G.mul(x, x)
            return (G.graph([x], [y, y, x, G.dot(G.t(y), y)]), [LowerCheck.random([3, 2], seed: 8)])
        },
        LowerCase("sum of broadcast over a reduction (two kernels)") {
            let x = G.input("x", [nil, 4])
            let centered = G.sub(x, G.reduce(.mean, x, [0], keep: true))
            return (G.graph([x], [G.sum(G.mul(centered, centered), [1])]), [LowerCheck.random([5, 4], seed: 9)])
        },
    ]
}

extension LowerTests {
    @Test(arguments: LowerTables.edges)
    func edgeCases(_ c: LowerCase) throws {
        let (graph, arguments) = c.make()
        try LowerCheck.expectMatches(graph, arguments, tolerance: c.tolerance)
    }
}

extension LowerTables {
    /// An unrolled tanh RNN with gradients for every input (slices of x, their gradients
    /// accumulated by setSlice, products with transposed operands).
    static let rnn = LowerCase("unrolled RNN with gradients") {
        let steps = 4
        let x = G.input("x", [steps, nil, 3]), wx = G.input("Wx", [3, 5]), wh = G.input("Wh", [5, 5])
        let b = G.input("b", [5])
        var h = G.un(.tanh, G.add(G.dot(Build.slice(x, [.index(0)], at: lowerHere), wx), b))
        for t in 1..<steps {
            let xt = Build.slice(x, [.index(t)], at: lowerHere)
            h = G.un(.tanh, G.add(G.add(G.dot(xt, wx), G.dot(h, wh)), b))
        }
        let loss = G.sum(G.mul(h, h), nil)
        let graph = G.graph([x, wx, wh, b], [loss] + G.grads(loss, [x, wx, wh, b]))
        let shapes = [[steps, 2, 3], [3, 5], [5, 5], [5]]
        return (graph, shapes.enumerated().map { LowerCheck.random($1, in: -1...1, seed: UInt64($0)) })
    }
}

extension LowerTests {
    @Test func unrolledRNN() throws {
        let (graph, arguments) = LowerTables.rnn.make()
        let plan = try LowerCheck.expectMatches(graph, arguments, tolerance: 1e-4)
        #expect(!plan.steps.contains { if case .reference = $0 { return true } else { return false } })
    }
}

extension LowerTables {
    /// An LSTM like W5 (gate order i,f,g,o; gates sliced from one product per step; readout of
    /// the last h with cross-entropy), with gradients for every parameter.
    static let lstm = LowerCase("LSTM with cross-entropy readout") {
        let (steps, hidden, inputs, classes) = (3, 4, 3, 5)
        let x = G.input("x", [steps, nil, inputs]), y = G.input("y", [nil], .int64)
        let wx = G.input("Wx", [inputs, 4 * hidden]), wh = G.input("Wh", [hidden, 4 * hidden])
        let b = G.input("b", [4 * hidden]), wo = G.input("Wo", [hidden, classes])
        let gate = { (z: Node, k: Int) in
            Build.slice(z, [.all, .range(start: k * hidden, stop: (k + 1) * hidden, step: 1)], at: lowerHere)
        }
        var h: Node? = nil, c: Node? = nil
        for t in 0..<steps {
            let xt = Build.slice(x, [.index(t)], at: lowerHere)
            var z = G.add(G.dot(xt, wx), b)
            if let h { z = G.add(z, G.dot(h, wh)) }
            let (i, f) = (G.un(.sigmoid, gate(z, 0)), G.un(.sigmoid, gate(z, 1)))
            let (g, o) = (G.un(.tanh, gate(z, 2)), G.un(.sigmoid, gate(z, 3)))
            c = c.map { G.add(G.mul(f, $0), G.mul(i, g)) } ?? G.mul(i, g)
            h = G.mul(o, G.un(.tanh, c!))
        }
        let loss = G.reduce(.mean, G.crossentropy(G.softmax(G.dot(h!, wo)), y), nil)
        let params = [wx, wh, b, wo]
        let graph = G.graph([x, y] + params, [loss] + G.grads(loss, params))
        let shapes = [[steps, 2, inputs], [inputs, 4 * hidden], [hidden, 4 * hidden], [4 * hidden], [hidden, classes]]
        var args = shapes.enumerated().map { LowerCheck.random($1, in: -1...1, seed: UInt64($0)) }
        args.insert(LowerCheck.integers([2], 0...(classes - 1), seed: 9), at: 1)
        return (graph, args)
    }
}

extension LowerTests {
    @Test func lstm() throws {
        let (graph, arguments) = LowerTables.lstm.make()
        let plan = try LowerCheck.expectMatches(graph, arguments, tolerance: 1e-4)
        #expect(!plan.steps.contains { if case .reference = $0 { return true } else { return false } })
        #expect(plan.kernels.count <= 15, "gate gradients share kernels; slice gradients sum elementwise")
    }
}
