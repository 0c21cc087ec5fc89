import Foundation
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR

/// Hand-built plans for the plan-runner and memory-plan suites.
enum PT {
    static func temp(_ dtype: DType, _ shape: [Dim]) -> PlanBuffer {
        PlanBuffer(dtype: dtype, shape: shape, source: .temporary)
    }

    static func temp(_ shape: [Dim]) -> PlanBuffer { temp(.float32, shape) }

    static func arg(_ k: Int, _ dtype: DType, _ shape: [Dim]) -> PlanBuffer {
        PlanBuffer(dtype: dtype, shape: shape, source: .argument(k))
    }

    static func arg(_ k: Int, _ shape: [Dim]) -> PlanBuffer { arg(k, .float32, shape) }

    static func b(_ raw: Int) -> BufferID { BufferID(raw) }

    /// `out[i] = in[i] * 2` over n f32 elements.
    static let double = Kernel(
        name: "twice",
        buffers: [KernelBuffer(name: "in", dtype: .float32, access: .read),
                  KernelBuffer(name: "out", dtype: .float32, access: .write)],
        paramNames: ["n"],
        body: [.loop(Loop(variable: KT.v(0), upper: .param(0), body: [
            .store(buffer: 1, index: KT.val(0), value: KT.op(.mul, KT.load(0, KT.val(0)), KT.f32(2)))]))])

    /// p = softmax(h), h = tanh((x·W) * w + 0.25) (w broadcast over rows): a gemm, a kernel and a
    /// reference step. Arguments x f32[?n,3], W f32[3,4], w f32[4]; outputs (p, h).
    static func dense() -> Plan {
        let n = Dim.symbol(.fresh(hint: "n"))
        let hNode = KT.input("h", .float32, [n, 4])
        let softmax = Node.make(.softmax(axis: 1), [hNode], at: KT.loc)
        var plan = Plan(
            kernels: [KT.broadcast],
            buffers: [arg(0, [n, 3]), arg(1, [3, 4]), arg(2, [4]),
                      temp([n, 4]), temp([n, 4]), temp([n, 4]),
                      PlanBuffer(dtype: .float32, shape: [1], source: .constant(KT.t([1], [0.25])))],
            steps: [.gemm(GemmStep(a: b(0), b: b(1), c: b(3), transA: false, transB: false, m: n, n: 4, k: 3)),
                    .kernel(0, buffers: [b(3), b(2), b(6), b(4)], params: [n, 4]),
                    .reference(softmax, inputs: [b(4)], output: b(5))],
            outputs: [b(5), b(4)], argumentCount: 3)
        plan.name = "dense"
        plan.argumentLabels = ["'x'", "'W'", "'w'"]
        return plan
    }

    /// The float64 value of `dense()` on its arguments: (p, h) flattened.
    static func denseReference(_ x: Tensor, _ W: Tensor, _ w: Tensor) -> ([Double], [Double]) {
        let n = x.shape[0]
        var h = [Double](repeating: 0, count: n * 4), p = h
        for r in 0..<n {
            for c in 0..<4 {
                let dot = (0..<3).reduce(0.0) { $0 + x.double(at: r * 3 + $1) * W.double(at: $1 * 4 + c) }
                h[r * 4 + c] = Foundation.tanh(dot * w.double(at: c) + 0.25)
            }
            let top = h[(r * 4)..<(r * 4 + 4)].max()!
            let total = (0..<4).reduce(0.0) { $0 + Foundation.exp(h[r * 4 + $1] - top) }
            for c in 0..<4 { p[r * 4 + c] = Foundation.exp(h[r * 4 + c] - top) / total }
        }
        return (p, h)
    }

    /// Arguments for `dense()` with n rows.
    static func denseArguments(n: Int, seed: UInt64) -> [Tensor] {
        [KT.t([n, 3], KT.values(n * 3, seed: seed)), KT.t([3, 4], KT.values(12, seed: seed + 1)),
         KT.t([4], KT.values(4, seed: seed + 2))]
    }

    /// x → t1 → t2 → t3 → out, each step doubling; t1 and t3 have disjoint lifetimes.
    static func chain() -> Plan {
        let n = Dim.symbol(.fresh(hint: "n"))
        return Plan(kernels: [double],
                    buffers: [arg(0, [n]), temp([n]), temp([n]), temp([n]), temp([n])],
                    steps: (0..<4).map { .kernel(0, buffers: [b($0), b($0 + 1)], params: [n]) },
                    outputs: [b(4)], argumentCount: 1)
    }

    /// Relative closeness for float32 results against float64 references.
    static func close(_ a: [Double], _ b: [Double], tolerance: Double = 2e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { Swift.abs($0 - $1) <= tolerance * Swift.max(1, Swift.abs($1)) }
    }
}
