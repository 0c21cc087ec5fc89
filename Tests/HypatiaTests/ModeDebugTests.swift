import GraphIR
import Hypatia
import KernelIR
import LLVMCodegen
import Testing

/// Compiles kernels with LLVM after perturbing every value kernel `target` stores:
/// floats become `value * scale + delta`, integers `value + delta`.
struct PerturbingCompiler: KernelCompiler {
    var target: String
    var delta: Double
    var scale = 1.0

    func compile(_ kernels: [Kernel]) throws -> any KernelExecutor {
        try LLVMKernelCompiler().compile(kernels.map { $0.name == target ? perturbed($0) : $0 })
    }

    private func perturbed(_ kernel: Kernel) -> Kernel {
        var kernel = kernel
        kernel.body = kernel.body.map { perturb($0, kernel.buffers) }
        return kernel
    }

    private func perturb(_ statement: KStmt, _ buffers: [KernelBuffer]) -> KStmt {
        switch statement {
        case .loop(var loop):
            loop.body = loop.body.map { perturb($0, buffers) }
            return .loop(loop)
        case .store(let buffer, let index, let value):
            let dtype = buffers[buffer].dtype
            let scaled = dtype.isFloatingPoint ? KExpr.op(.mul, [value, .constant(scale, dtype)]) : value
            return .store(buffer: buffer, index: index, value: .op(.add, [scaled, .constant(delta, dtype)]))
        case .assign, .yield, .checkIndex:
            return statement
        }
    }
}

/// `.debug` runs the LLVM plan and the reference interpreter side by side: a wrong kernel is
/// reported at the first value it gets wrong, with the node's op and the user's line.
@Suite struct ModeDebugTests {
    /// The name of the kernel that writes the value built at `line` (from the plan of `f`).
    static func kernel(writing line: Int, in f: CompiledFunction) throws -> String {
        let plan = try #require(f.plan)
        for step in plan.steps {
            guard case .kernel(let k, let buffers, _) = step else { continue }
            for (slot, id) in buffers.enumerated() where plan.kernels[k].buffers[slot].access != .read {
                if plan.bufferNodes[id]?.location.line == line { return plan.kernels[k].name }
            }
        }
        Issue.record("no kernel writes the value of line \(line):\n\(printPlan(plan))")
        return "none"
    }

    static let x = try! Tensor(shape: [8, 16], scalars: (0..<128).map { Float(($0 * 37) % 23) / 11 - 1 })
    static let w = try! Tensor(shape: [16, 4], scalars: (0..<64).map { Float(($0 * 29) % 17) / 17 - 0.5 })

    @Test func aWrongKernelIsReportedAtTheFirstValueItChanges() throws {
        let x = matrix("x", shape: [8, 16]), W = matrix("W", shape: [16, 4])
        // A kernel writes tanh(x); 3 and 0.1 fold into the BLAS product's alpha.
        let (h, hLine) = (tanh(x) * 3, #line)
        let (out, outLine) = (exp(dot(h, W) * 0.1), #line)
        let good = try function(inputs: [x, W], outputs: [out], mode: .debug)
        let want = try good(Self.x, Self.w)[0]
        for (line, op) in [(hLine, "tanh"), (outLine, "exp")] {
            let wrong = PerturbingCompiler(target: try Self.kernel(writing: line, in: good), delta: 0.5)
            let f = try function(inputs: [x, W], outputs: [out], mode: .debug, kernelCompiler: wrong)
            let error = try #require(graphError { try f(Self.x, Self.w) })
            #expect(error.kind == .runtime && error.op == "debug")
            #expect(error.location == at(line), "\(error)")
            #expect(error.message.hasPrefix("\(op) (f32[") && error.message.contains("kernel @"), "\(error)")
            #expect(error.message.contains("max abs difference 0.5") && error.message.contains("first at index [0, 0]"),
                    "\(error)")
            // The same kernels without .debug run silently and give other values.
            let fast = try function(inputs: [x, W], outputs: [out], mode: .fastRun, kernelCompiler: wrong)
            #expect(try fast(Self.x, Self.w)[0].scalars != want.scalars)
        }
    }

    @Test func roundingSizedDifferencesAreNotReported() throws {
        let x = matrix("x", shape: [8, 16]), W = matrix("W", shape: [16, 4])
        let (h, line) = (tanh(x) * 3, #line)
        let out = exp(dot(h, W) * 0.1)
        let good = try function(inputs: [x, W], outputs: [out], mode: .debug)
        let target = try Self.kernel(writing: line, in: good)
        let tiny = PerturbingCompiler(target: target, delta: 0, scale: 1 + 3e-6)
        let f = try function(inputs: [x, W], outputs: [out], mode: .debug, kernelCompiler: tiny)
        #expect(close(try f(Self.x, Self.w)[0].scalars, try good(Self.x, Self.w)[0].scalars, tolerance: 1e-4))
        let visible = PerturbingCompiler(target: target, delta: 0, scale: 1 + 1e-3)
        let g = try function(inputs: [x, W], outputs: [out], mode: .debug, kernelCompiler: visible)
        #expect(graphError { try g(Self.x, Self.w) }?.location == at(line))
    }

    @Test func integersMustMatchExactly() throws {
        let x = matrix("x", shape: [8, 16])
        let (best, line) = (argmax(exp(x), axis: 1), #line)
        let good = try function(inputs: [x], outputs: [best], mode: .debug)
        let wrong = PerturbingCompiler(target: try Self.kernel(writing: line, in: good), delta: 1)
        let f = try function(inputs: [x], outputs: [best], mode: .debug, kernelCompiler: wrong)
        let error = try #require(graphError { try f(Self.x) })
        #expect(error.location == at(line) && error.message.hasPrefix("argmax (i"), "\(error)")
        #expect(error.message.contains("8 elements differ; max abs difference 1,"), "\(error)")
    }

    /// A call `.debug` rejects updates no shared variable.
    @Test func aRejectedCallLeavesSharedValuesUnchanged() throws {
        let x = matrix("x", shape: [8, 16])
        let W = shared(Self.w, name: "W")
        let (h, line) = (tanh(x) * 3, #line)
        let cost = sum(dot(h, W))
        let step = [(W, W - 0.1 * grad(cost, wrt: W))]
        let good = try function(inputs: [x], outputs: [cost], updates: step, mode: .debug)
        let wrong = PerturbingCompiler(target: try Self.kernel(writing: line, in: good), delta: 0.5)
        let f = try function(inputs: [x], outputs: [cost], updates: step, mode: .debug, kernelCompiler: wrong)
        #expect(graphError { try f(Self.x) }?.location == at(line))
        #expect(W.value == Self.w)
        _ = try good(Self.x)
        #expect(W.value != Self.w)
    }
}
