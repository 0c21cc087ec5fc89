import Hypatia
import HypatiaTestSupport
import Testing

/// The op conformance table in every compilation mode: each row's forward values and (for
/// differentiable rows) gradients, compiled with LLVM (`.fastRun`, `.fastCompile`, `.debug`, which
/// also checks every materialized value against the reference interpreter), must match the
/// reference interpreter (`.interpret`).
@Suite struct ModeConformanceTests {
    static let llvmModes: [Mode] = [.fastRun, .fastCompile, .debug]

    @Test(arguments: OpTable.all)
    func forwardMatchesTheInterpreterInEveryMode(_ op: OpCase) throws {
        for (dtype, rtol, atol) in [(DType.float64, 1e-10, 1e-12), (DType.float32, 2e-5, 2e-6)] {
            let vars = op.variables(dtype)
            let out = op.build(vars)
            let tensors = op.arguments(dtype, seed: 7).tensors
            let reference = try function(inputs: vars, outputs: [out], mode: .interpret)
            let want = try reference.call(tensors)[0]
            for mode in Self.llvmModes {
                let f = try function(inputs: vars, outputs: [out], mode: mode)
                #expect(f.dump(.kernels).hasPrefix("plan @f"), "\(op.name) \(mode): no plan")
                let got = try f.call(tensors)[0]
                #expect(got.dtype == want.dtype && got.shape == want.shape, "\(op.name) \(dtype) \(mode)")
                let error = closeness(got.scalars, want.scalars, rtol: rtol, atol: atol)
                let (g, w) = (got.scalars.prefix(6), want.scalars.prefix(6))
                #expect(error <= 1, "\(op.name) \(dtype) \(mode): \(g) vs \(w)")
            }
        }
    }

    /// The gradient graph of `sum(op(x) * w)` (float32, the training path) in every mode.
    @Test(arguments: OpTable.all.filter(\.differentiable))
    func gradientsMatchTheInterpreterInEveryMode(_ op: OpCase) throws {
        let (tensors, refs) = op.arguments(.float32, seed: 11)
        let weights = RandomData.uniform(op.reference(refs).shape, in: -1...1, seed: 99).tensor(.float32)
        let vars = op.variables(.float32)
        let floats = op.inputs.indices.filter { !op.inputs[$0].integral }.map { vars[$0] }
        let cost = sum(op.build(vars) * constant(weights))
        let outputs = [cost] + grad(cost, wrt: floats)
        let want = try function(inputs: vars, outputs: outputs, mode: .interpret).call(tensors)
        for mode in Self.llvmModes {
            let got = try function(inputs: vars, outputs: outputs, mode: mode).call(tensors)
            for (i, (g, w)) in zip(got, want).enumerated() {
                #expect(g.shape == w.shape, "\(op.name) \(mode) output \(i)")
                let error = closeness(g.scalars, w.scalars, rtol: 2e-5, atol: 2e-5)
                #expect(error <= 1, "\(op.name) \(mode) output \(i): \(g.scalars.prefix(6)) vs \(w.scalars.prefix(6))")
            }
        }
    }

    /// `.interpret` has no plan; the LLVM modes lower the same optimized graph.
    @Test func interpretHasNoKernels() throws {
        let x = vector("x")
        let f = try function(inputs: [x], outputs: [exp(x) + 1], mode: .interpret)
        #expect(f.mode == .interpret)
        #expect(f.dump(.kernels).contains("no kernels (mode .interpret)"))
        #expect(f.dump(.llvm).contains("no LLVM module"))
        #expect(try f(Tensor([Float(0)]))[0].scalars == [2])
        let fast = try function(inputs: [x], outputs: [exp(x) + 1])
        #expect(fast.mode == .fastRun && fast.dump(.graph) == f.dump(.graph))
    }

    /// Each mode's default rewrites, and an explicit optimizer overriding them.
    @Test func modesPickTheirOptimizer() throws {
        #expect(Mode.fastRun.defaultOptimizer == .fastRun && Mode.debug.defaultOptimizer == .fastRun)
        #expect(Mode.interpret.defaultOptimizer == .fastRun && Mode.fastCompile.defaultOptimizer == .fastCompile)
        let x = vector("x")
        let y = log(1 + exp(x))
        let light = try function(inputs: [x], outputs: [y], mode: .fastCompile)
        #expect(light.report.mode == "fastCompile")
        let none = try function(inputs: [x], outputs: [y], optimizer: .none, mode: .fastCompile)
        #expect(none.report.mode == "none" && none.report.rulesFired.isEmpty)
        let args = Tensor([Float(-3), 0, 4])
        #expect(close(try light(args)[0].scalars, try none(args)[0].scalars))
    }
}

extension ModeConformanceTests {
    /// Functions whose plans have no kernel (an input returned as is, a lone product, a
    /// constant) or reuse an input as an output run in every mode.
    @Test(arguments: Mode.allCases)
    func plansWithoutKernels(_ mode: Mode) throws {
        let x = matrix("x", shape: [2, 3]), w = matrix("w", shape: [3, 2])
        let f = try function(inputs: [x, w], outputs: [x, dot(x, w), constant(Tensor([Float(1), 2]))], mode: mode)
        let a = try Tensor(shape: [2, 3], scalars: [Float(1), 2, 3, 4, 5, 6])
        let b = try Tensor(shape: [3, 2], scalars: [Float(1), 0, 0, 1, 1, 1])
        let out = try f(a, b)
        #expect(out[0] == a && out[1].scalars == [4, 5, 10, 11] && out[2].scalars == [1, 2])
        #expect(out[1].shape == [2, 2])
    }
}
