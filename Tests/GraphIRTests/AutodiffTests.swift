import Foundation
import GraphIR
import Testing
import TensorRuntime

/// The gradient sweep itself: broadcasting, integers, stopGradient, knownGrads, errors,
/// higher order, symbolic sizes and provenance.
@Suite struct AutodiffTests {
    private func tensor(_ shape: [Int], _ values: [Double]) throws -> Tensor {
        try Tensor(shape: shape, values: values, dtype: .float64)
    }

    @Test func broadcastGradientIsSummedToTheBiasShape() throws {
        let x = Build.input("x", dtype: .float32, shape: [nil, 10], at: adHere)
        let b = Build.input("b", dtype: .float32, shape: [10], at: adHere)
        let shifted = adBinary(.add, x, b)
        let g = gradients(of: adSum(adBinary(.mul, shifted, shifted)), wrt: [x, b], at: adHere)
        #expect(g[1].type == TensorType(.float32, [10]))
        #expect(g[0].type == x.type)
        let xv = Tensor(repeating: 0.5, shape: [3, 10]), bv = Tensor(repeating: 0.25, shape: [10])
        let values = try adEvaluate(g, inputs: [x, b], [xv, bv])
        #expect(values[1].shape == [10])
        #expect(values[1].scalars == Array(repeating: 3 * 2 * 0.75, count: 10))
        #expect(values[0].scalars == Array(repeating: 1.5, count: 30))
    }

    @Test func integerInputsGetZerosAndNoGradientFlowsThroughIntegers() throws {
        let x = Build.input("x", dtype: .float64, shape: [3], at: adHere)
        let i = Build.input("i", dtype: .int32, shape: [3], at: adHere)
        let rounded = Build.cast(Build.cast(x, to: .int32, at: adHere), to: .float64, at: adHere)
        let cost = adSum(adBinary(.add, adBinary(.mul, rounded, Build.cast(i, to: .float64, at: adHere)), x))
        let g = gradients(of: cost, wrt: [x, i], at: adHere)
        #expect(g.allSatisfy { $0.error == nil })
        #expect(g[1].type == i.type)
        let iv = try Tensor(shape: [3], values: [1, 2, 3], dtype: .int32)
        let values = try adEvaluate(g, inputs: [x, i], [try tensor([3], [1.5, 2.5, -1]), iv])
        #expect(values[0].scalars == [1, 1, 1])     // only the direct `+ x` path
        #expect(values[1].scalars == [0, 0, 0])
    }

    @Test func stopGradientBlocksOnePath() throws {
        let x = Build.input("x", dtype: .float64, shape: [3], at: adHere)
        let frozen = Build.stopGradient(x, at: adHere)
        let g = gradients(of: adSum(adBinary(.mul, frozen, x)), wrt: [x], at: adHere)[0]
        let onlyFrozen = gradients(of: adSum(frozen), wrt: [x], at: adHere)[0]
        #expect(onlyFrozen.error == nil)   // reachable, so zeros rather than disconnected
        let values = try adEvaluate([g, onlyFrozen], inputs: [x], [try tensor([3], [1, -2, 3])])
        #expect(values[0].scalars == [1, -2, 3])
        #expect(values[1].scalars == [0, 0, 0])
    }

    @Test func knownGradsSeedIntermediateNodes() throws {
        let x = Build.input("x", dtype: .float64, shape: [3], at: adHere)
        let h = adUnary(.tanh, x)
        let given = Build.constant(try tensor([3], [1, 2, -1]), at: adHere)
        let cost = adSum(adBinary(.mul, h, h))     // its own gradient into h is overridden by knownGrads
        let g = gradients(of: cost, wrt: [x], knownGrads: [(h, given)], at: adHere)[0]
        let xv = try tensor([3], [0.3, -0.2, 1.1])
        let value = try adEvaluate([g], inputs: [x], [xv])[0]
        for k in 0..<3 {
            let t = Foundation.tanh(xv.double(at: k))
            #expect(adClose(value.double(at: k), [1.0, 2, -1][k] * (1 - t * t), rtol: 1e-12))
        }
    }

    @Test func knownGradOfTheCostReplacesTheSeed() throws {
        let x = Build.input("x", dtype: .float64, shape: [2], at: adHere)
        let cost = adSum(adBinary(.mul, x, x))
        let g = gradients(of: cost, wrt: [x], knownGrads: [(cost, adF64(3))], at: adHere)[0]
        let value = try adEvaluate([g], inputs: [x], [try tensor([2], [1, -2])])[0]
        #expect(value.scalars == [6, -12])
    }

    @Test func knownGradsWithoutAScalarCost() throws {
        let x = Build.input("x", dtype: .float64, shape: [2], at: adHere)
        let y = adBinary(.mul, x, adF64(5))
        let given = Build.constant(try tensor([2], [1, 2]), at: adHere)
        let g = gradients(of: y, wrt: [x], knownGrads: [(y, given)], at: adHere)[0]
        #expect(g.error == nil)
        #expect(try adEvaluate([g], inputs: [x], [try tensor([2], [0, 0])])[0].scalars == [5, 10])
    }

    @Test func knownGradsOfTheWrongShapeOrDtypeAreRecorded() {
        let x = Build.input("x", dtype: .float64, shape: [3], at: adHere)
        let h = adUnary(.tanh, x)
        let ones = Build.fill(like: x, value: 1, dtype: nil, at: adHere)
        let wrongShape = gradients(of: adSum(h), wrt: [x], knownGrads: [(h, ones), (h, adF64(1))], at: adHere)[0]
        #expect(wrongShape.error?.kind == .shape)
        #expect(wrongShape.error?.message.contains("f64[]") == true)
        let integer = Build.cast(x, to: .int32, at: adHere)
        let intNode = gradients(of: adSum(h), wrt: [x], knownGrads: [(integer, integer)], at: adHere)[0]
        #expect(intNode.error?.kind == .argument)
    }

    @Test func disconnectedVariableRaisesOrGivesZeros() throws {
        let x = Build.input("x", dtype: .float64, shape: [2], at: adHere)
        let y = Build.input("y", dtype: .float64, shape: [nil, 3], at: adHere)
        let caller = GraphIR.SourceLocation(fileID: "Caller.swift", line: 42)
        let raised = gradients(of: adSum(x), wrt: [x, y], at: caller)
        #expect(raised[0].error == nil)
        let error = try #require(raised[1].error)
        #expect(error.kind == .disconnected)
        #expect(error.op == "grad")
        #expect(error.message.contains("'y'"))
        #expect(error.location == caller)
        let zeroed = gradients(of: adSum(x), wrt: [y], disconnected: .zero, at: caller)[0]
        #expect(zeroed.error == nil)
        #expect(zeroed.type == y.type)
        let yv = Tensor(ones: [4, 3], dtype: .float64)
        let value = try adEvaluate([zeroed], inputs: [x, y], [try tensor([2], [1, 2]), yv])[0]
        #expect(value.shape == [4, 3])
        #expect(value.scalars == Array(repeating: 0, count: 12))
    }

    @Test func nonScalarOrNonFloatCostIsRecorded() throws {
        let x = Build.input("x", dtype: .float64, shape: [2], at: adHere)
        let vectorCost = gradients(of: adUnary(.exp, x), wrt: [x], at: adHere)[0]
        #expect(vectorCost.error?.kind == .argument)
        #expect(vectorCost.error?.message.contains("scalar") == true)
        let boolCost = gradients(of: adBinary(.gt, adSum(x), adF64(0)), wrt: [x], at: adHere)[0]
        #expect(boolCost.error?.kind == .argument)
        let intCost = gradients(of: Build.cast(adSum(x), to: .int32, at: adHere), wrt: [x], at: adHere)[0]
        #expect(intCost.error?.kind == .argument)
    }

    @Test func costErrorsPropagate() throws {
        let a = Build.input("a", dtype: .float64, shape: [2], at: adHere)
        let b = Build.input("b", dtype: .float64, shape: [3], at: adHere)
        let broken = adSum(adBinary(.add, a, b))
        let g = gradients(of: broken, wrt: [a], at: adHere)[0]
        #expect(g.error != nil)
        #expect(g.error == broken.error)
    }

    @Test func secondDerivativeOfCube() throws {
        let x = Build.input("x", dtype: .float64, shape: [], at: adHere)
        let cubeMul = adBinary(.mul, adBinary(.mul, x, x), x)
        let cubePow = adBinary(.pow, x, adF64(3))
        let firsts = gradients(of: cubeMul, wrt: [x], at: adHere) + gradients(of: cubePow, wrt: [x], at: adHere)
        let seconds = firsts.map { gradients(of: $0, wrt: [x], at: adHere)[0] }
        for v in [-1.5, 0.5, 2.0] {
            let values = try adEvaluate(firsts + seconds, inputs: [x], [try tensor([], [v])]).map { $0.double(at: 0) }
            #expect(adClose(values[0], 3 * v * v, rtol: 1e-12) && adClose(values[1], 3 * v * v, rtol: 1e-12))
            #expect(adClose(values[2], 6 * v, rtol: 1e-12) && adClose(values[3], 6 * v, rtol: 1e-12))
        }
    }

    @Test func secondDerivativeOfTanhAndThirdOfCube() throws {
        let x = Build.input("x", dtype: .float64, shape: [], at: adHere)
        let d1 = gradients(of: adUnary(.tanh, x), wrt: [x], at: adHere)[0]
        let d2 = gradients(of: d1, wrt: [x], at: adHere)[0]
        let cube = adBinary(.mul, adBinary(.mul, x, x), x)
        var d = cube
        for _ in 0..<3 { d = gradients(of: d, wrt: [x], at: adHere)[0] }
        for v in [-0.7, 0.2, 1.3] {
            let values = try adEvaluate([d2, d], inputs: [x], [try tensor([], [v])]).map { $0.double(at: 0) }
            let t = Foundation.tanh(v)
            #expect(adClose(values[0], -2 * t * (1 - t * t), rtol: 1e-12))
            #expect(adClose(values[1], 6, rtol: 1e-12))
        }
    }

    @Test func gradientOfAGradientNormMatchesFiniteDifferences() throws {
        let args: [GradArg] = [.random("x", [3, 4]), .random("W", [4, 2])]
        try adCheckGradients(args) { nodes in
            let cost = adSum(Build.softmax(Build.dot(nodes[0], nodes[1], at: adHere), axis: 1, at: adHere))
            let hidden = adUnary(.tanh, Build.dot(nodes[0], nodes[1], at: adHere))
            let gw = gradients(of: adSum(hidden), wrt: [nodes[1]], at: adHere)[0]
            return adBinary(.add, adSum(adBinary(.mul, gw, gw)), cost)
        }
    }

    @Test func meanOverASymbolicBatch() throws {
        let x = Build.input("x", dtype: .float64, shape: [nil, 3], at: adHere)
        let w = Build.constant(try tensor([3], [1, -2, 0.5]), at: adHere)
        let g = gradients(of: adReduce(.mean, adBinary(.mul, x, w), nil), wrt: [x], at: adHere)[0]
        let gRows = gradients(of: adSum(adReduce(.mean, adBinary(.mul, x, w), [0])), wrt: [x], at: adHere)[0]
        #expect(g.type == x.type)
        let graph = Graph(name: "mean", inputs: [x], outputs: [g, gRows], outputCount: 2)
        let exe = try ReferenceBackend().compile(graph)
        for n in [2, 5] {
            let values = try exe.run([Tensor(ones: [n, 3], dtype: .float64)])
            #expect(values[0].shape == [n, 3])
            for (k, v) in values[0].scalars.enumerated() {
                #expect(adClose(v, [1, -2, 0.5][k % 3] / Double(3 * n), rtol: 1e-12))
            }
            for (k, v) in values[1].scalars.enumerated() {
                #expect(adClose(v, [1, -2, 0.5][k % 3] / Double(n), rtol: 1e-12))
            }
        }
    }

    @Test func sharedVariablesGetGradients() throws {
        let storage = SharedStorage(name: "W", type: TensorType(.float64, [2, 2]),
                                    value: try tensor([2, 2], [1, 2, 3, 4]))
        let w = Build.shared(storage, at: adHere)
        let x = Build.input("x", dtype: .float64, shape: [nil, 2], at: adHere)
        let g = gradients(of: adSum(Build.dot(x, w, at: adHere)), wrt: [w], at: adHere)[0]
        #expect(g.type == w.type)
        let graph = Graph(name: "shared", inputs: [x], outputs: [g], outputCount: 1)
        let shared = graph.sharedInputs.map { _ in storage.value }   // d/dW does not read W here
        let value = try ReferenceBackend().compile(graph).run([try tensor([3, 2], [1, 2, 3, 4, 5, 6])] + shared)[0]
        #expect(value.scalars == [9, 9, 12, 12])
    }

    @Test func gradientNodesCarryTheForwardNodesLocation() {
        let forward = GraphIR.SourceLocation(fileID: "Model.swift", line: 10)
        let caller = GraphIR.SourceLocation(fileID: "Train.swift", line: 20)
        let x = Build.input("x", dtype: .float32, shape: [3], at: adHere)
        let y = Build.unary(.tanh, x, at: forward)
        let g = gradients(of: adSum(y), wrt: [x], at: caller)[0]
        #expect(g.location == forward)
        #expect(!topologicalOrder([g]).contains { $0.location == caller })
    }

    @Test func vjpIsNilForIndicesAndComparisons() {
        let x = Build.input("x", dtype: .float64, shape: [4], at: adHere)
        let i = Build.input("i", dtype: .int64, shape: [2], at: adHere)
        let picked = Build.advancedIndex(x, [i], at: adHere)
        let contributions = vjp(picked, cotangent: Build.fill(like: picked, value: 1, dtype: nil, at: adHere))
        #expect(contributions.count == 2)
        #expect(contributions[0]?.type == x.type)
        #expect(contributions[1] == nil)
        let compare = adBinary(.lt, x, adF64(0))
        let seed = Build.fill(like: compare, value: 1, dtype: .float64, at: adHere)
        #expect(vjp(compare, cotangent: seed).allSatisfy { $0 == nil })
    }
}
