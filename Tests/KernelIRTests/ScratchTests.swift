import Foundation
import GraphIR
import KernelIR
import Testing
import TensorRuntime

@Suite struct ScratchTests {
    @Test func timing() throws {
        var t0 = Date()
        _ = try lower(Workloads.w2(batch: 128))
        print("W2 lower: \(Date().timeIntervalSince(t0))")
        let steps = 50
        let x = G.input("x", [steps, 32, 64]), wx = G.input("Wx", [64, 128]), wh = G.input("Wh", [128, 128])
        let b = G.input("b", [128])
        var h = G.add(G.dot(Build.slice(x, [.index(0)], at: lowerHere), wx), b)
        for t in 1..<steps {
            let xt = Build.slice(x, [.index(t)], at: lowerHere)
            h = G.un(.tanh, G.add(G.add(G.dot(xt, wx), G.dot(h, wh)), b))
        }
        let loss = G.sum(h, nil)
        let g = G.graph([x, wx, wh, b], [loss] + G.grads(loss, [wx, wh, b]))
        print("nodes: \(g.nodes.count)")
        t0 = Date()
        let plan = try lower(g)
        print("RNN lower: \(Date().timeIntervalSince(t0)) steps \(plan.steps.count)")
    }
}
