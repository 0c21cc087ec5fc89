import GraphIR
import Hypatia
import Testing

/// `intern` (hash-consing CSE) and `substitute` (givens) on GraphIR nodes.
@Suite struct GraphTransformTests {
    let loc = GraphIR.SourceLocation(fileID: "T.swift", line: 1)

    func count(_ graph: Graph, _ predicate: (Op) -> Bool) -> Int {
        graph.nodes.filter { predicate($0.op) }.count
    }

    @Test func internMergesEqualSubgraphsAndConstants() {
        let x = Build.input("x", dtype: .float32, shape: [nil], at: loc)
        let a = Build.unary(.exp, x, at: loc), b = Build.unary(.exp, x, at: loc)
        let one = Build.scalar(1, dtype: .float32, at: loc), alsoOne = Build.scalar(1, dtype: .float32, at: loc)
        let sum = Build.binary(.add, Build.binary(.mul, a, one, at: loc), Build.binary(.mul, b, alsoOne, at: loc),
                               at: loc)
        let graph = intern(Graph(name: "g", inputs: [x], outputs: [sum, a, b], outputCount: 3))
        #expect(count(graph) { $0 == .elementwise(.exp) } == 1)
        #expect(count(graph) { $0 == .elementwise(.mul) } == 1)
        #expect(count(graph) { if case .constant = $0 { return true } else { return false } } == 1)
        #expect(graph.outputs[1] === graph.outputs[2] && graph.outputs[1] === a)
        #expect(graph.inputs[0] === x)
        #expect(graph.outputs[0].type == sum.type)
    }

    @Test func internKeepsDistinctInputsAndMergesSharedStorage() {
        let x1 = Build.input("x", dtype: .float32, shape: [2], at: loc)
        let x2 = Build.input("x", dtype: .float32, shape: [2], at: loc)
        let storage = SharedStorage(name: "W", type: TensorType(.float32, [2]), value: Tensor(zeros: [2]))
        let w1 = Build.shared(storage, at: loc), w2 = Build.shared(storage, at: loc)
        let out = Build.binary(.add, Build.binary(.add, x1, w1, at: loc), Build.binary(.add, x2, w2, at: loc), at: loc)
        let graph = intern(Graph(name: "g", inputs: [x1, x2], outputs: [out], outputCount: 1))
        #expect(count(graph) { if case .input = $0 { return true } else { return false } } == 2)
        #expect(graph.sharedInputs.count == 1)
        #expect(count(graph) { $0 == .elementwise(.add) } == 3)
    }

    @Test func substituteRebuildsOnlyChangedNodes() {
        let x = Build.input("x", dtype: .float32, shape: [nil, 2], at: loc)
        let y = Build.input("y", dtype: .float32, shape: [3], at: loc)
        let here = GraphIR.SourceLocation(fileID: "T.swift", line: 7)
        let ex = Build.unary(.exp, x, at: here)
        let ey = Build.unary(.exp, y, at: loc)
        let replacement = Build.constant(Tensor(ones: [4, 2]), at: loc)
        let out = substitute([ex, ey, x], [x: replacement])
        #expect(out[0] !== ex && out[0].inputs[0] === replacement && out[0].location == here)
        #expect(out[0].type == TensorType(.float32, [4, 2]))
        #expect(out[1] === ey)
        #expect(out[2] === replacement)
    }

    @Test func substituteRewritesCarriedDims() throws {
        let x = Build.input("x", dtype: .float32, shape: [nil, 2], at: loc)
        let wide = Build.broadcast(Build.scalar(3, dtype: .float32, at: loc), to: x.type.shape, at: loc)
        let sum = Build.binary(.add, x, wide, at: loc)
        let replacement = Build.constant(Tensor(ones: [5, 2]), at: loc)
        let out = substitute([sum], [x: replacement])[0]
        try out.check()
        #expect(out.type == TensorType(.float32, [5, 2]))
        #expect(out.inputs[1].op == .broadcast([5, 2]))
        let values = try ReferenceBackend().compile(Graph(name: "g", inputs: [], outputs: [out], outputCount: 1))
            .run([])
        #expect(values[0].scalars == [Double](repeating: 4, count: 10))
    }

    @Test func substituteDoesNotEnterReplacements() {
        let x = Build.input("x", dtype: .float32, shape: [2], at: loc)
        let twice = Build.binary(.mul, x, x, at: loc)
        let out = substitute([Build.unary(.neg, x, at: loc)], [x: twice])[0]
        #expect(out.inputs[0] === twice && twice.inputs[0] === x)
    }
}
