import Testing
import TensorRuntime
@testable import GraphIR

@Suite struct BuildReduceTests {
    @Test func reduceNormalisesAxes() throws {
        let x = input("x", [nil, 3, 4])
        #expect(Build.reduce(.sum, x, axes: [-1, 0], keepDims: false, at: here).op
                == .reduce(.sum, axes: [0, 2], keepDims: false))
        let all = Build.reduce(.mean, x, axes: nil, keepDims: true, at: here)
        #expect(all.op == .reduce(.mean, axes: [0, 1, 2], keepDims: true))
        #expect(all.type.shape == [1, 1, 1])
    }

    @Test(arguments: [[0, -3], [3], [-4]])
    func badAxesRecordArgumentErrors(axes: [Int]) throws {
        let node = Build.reduce(.max, input("x", [2, 3, 4]), axes: axes, keepDims: false, at: here)
        #expect(node.error?.kind == .argument)
        #expect(node.error?.location == here)
    }

    @Test func argmaxWithoutAxisFlattensFirst() throws {
        let x = input("x", [nil, 10])
        let node = Build.argmax(x, axis: nil, keepDims: false, at: here)
        try node.check()
        #expect(node.op == .argmax(axis: 0, keepDims: false))
        #expect(node.type == .scalar(.int64))
        #expect(node.inputs[0].op == .reshape([x.type.shape[0] * 10]))
        let kept = Build.argmin(x, axis: nil, keepDims: true, at: here)
        #expect(kept.type == TensorType(.int64, [1, 1]))
        #expect(Build.argmax(x, axis: -1, keepDims: false, at: here).type == TensorType(.int64, [x.type.shape[0]]))
    }

    @Test func varianceIsCompositeWithSymbolicCount() throws {
        let x = input("x", .int32, [nil, 4])
        let v = Build.variance(x, axes: [0], keepDims: false, ddof: 1, at: here)
        try v.check()
        #expect(v.type == TensorType(.float32, [4]))
        #expect(ops(v).contains(.dimension(axis: 0)))
        let s = Build.std(input("y", .float64, [3, 4]), axes: nil, keepDims: false, ddof: 1, at: here)
        #expect(s.type == .scalar(.float64))
        #expect(s.op == .elementwise(.sqrt))
    }
}

@Suite struct BuildShapeTests {
    @Test func reshapeInfersMinusOneSymbolically() throws {
        let x = input("x", [nil, 28, 28])
        let r = Build.reshape(x, [-1, 784], at: here)
        try r.check()
        #expect(r.type.shape == [x.type.shape[0], 784])
    }

    @Test(arguments: [[-1, -1], [-2, 5], [-1, 3], [0, -1], [5, 3]])
    func badReshapesRecordErrors(shape: [Int]) {
        let node = Build.reshape(input("x", [10]), shape, at: here)
        #expect(node.error != nil)
        #expect(node.error?.op == "reshape")
    }

    @Test func flattenKeepsLeadingAxes() throws {
        let x = input("x", [nil, 3, 4, 5])
        #expect(Build.flatten(x, outdim: 2, at: here).type.shape == [x.type.shape[0], 60])
        #expect(Build.flatten(x, outdim: 1, at: here).type.shape == [x.type.shape[0] * 60])
        #expect(Build.flatten(x, outdim: 0, at: here).error?.kind == .argument)
    }

    @Test func transposeAndDimshuffle() throws {
        let x = input("x", [2, 3, 4])
        #expect(Build.transpose(x, axes: nil, at: here).type.shape == [4, 3, 2])
        #expect(Build.transpose(x, axes: [0, -1, 1], at: here).op == .dimshuffle([0, 2, 1]))
        #expect(Build.dimshuffle(x, [nil, 2, 0, 1], at: here).type.shape == [1, 4, 2, 3])
        #expect(Build.dimshuffle(x, [0, 1], at: here).error?.kind == .shape)
    }

    @Test func concatenatePromotesAndAddsSizes() throws {
        let a = input("a", .int32, [nil, 3]), b = input("b", .float32, [2, 3])
        let c = Build.concatenate([a, b], axis: -2, at: here)
        try c.check()
        #expect(c.type == TensorType(.float32, [a.type.shape[0] + 2, 3]))
        #expect(Build.concatenate([], axis: 0, at: here).error?.kind == .argument)
        #expect(Build.concatenate([a, input("c", [2, 4])], axis: 0, at: here).error?.kind == .shape)
    }

    @Test func stackAddsAnAxis() throws {
        let a = input("a", [3]), b = input("b", [3])
        #expect(Build.stack([a, b], axis: 0, at: here).type.shape == [2, 3])
        #expect(Build.stack([a, b], axis: -1, at: here).type.shape == [3, 2])
        #expect(Build.stack([a, b], axis: 2, at: here).error?.kind == .argument)
    }

    @Test func dotAndOuter() throws {
        let x = input("x", [nil, 784]), w = input("W", .float64, [784, 10])
        let d = Build.dot(x, w, at: here)
        try d.check()
        #expect(d.type == TensorType(.float64, [x.type.shape[0], 10]))
        let bad = Build.dot(input("a", [2, 3, 4]), input("b", [4]), at: here)
        #expect(bad.error?.kind == .shape)
        #expect(bad.error?.message.contains("f32[2,3,4]") == true)
        #expect(bad.error?.message.contains("f32[4]") == true)
        #expect(Build.dot(input("m", [3, 4]), input("v", [5]), at: here).error?.message.contains("4 != 5") == true)
        #expect(Build.outer(input("u", [3]), input("v", [5]), at: here).type.shape == [3, 5])
        #expect(Build.dot(Build.scalar(2, dtype: .float32, at: here), x, at: here).type == x.type)
    }
}

@Suite struct BuildIndexTests {
    @Test func setSubtensorOfASliceBecomesSetSlice() throws {
        let x = input("x", [nil, 5])
        let specs: [SliceSpec] = [.all, .range(start: 1, stop: nil, step: 2)]
        let part = Build.slice(x, specs, at: here)
        #expect(part.type.shape == [x.type.shape[0], 2])
        let set = Build.setSubtensor(part, Build.scalar(0, dtype: .int32, at: here), accumulate: true, at: here)
        try set.check()
        #expect(set.op == .setSlice(specs, accumulate: true))
        #expect(set.inputs[0] === x)
        #expect(set.inputs[1].type == part.type)
    }

    @Test func setSubtensorOfAnIndexBecomesSetAdvancedIndex() throws {
        let x = input("x", [nil, 5]), i = input("i", .int32, [nil])
        let part = Build.advancedIndex(x, [i], at: here)
        #expect(part.inputs[1].type.dtype == .int64)
        let set = Build.setSubtensor(part, input("v", [5]), accumulate: false, at: here)
        try set.check()
        #expect(set.op == .setAdvancedIndex(accumulate: false))
        #expect(set.type == x.type)
        #expect(set.inputs.count == 3)
    }

    @Test func setSubtensorOfAnythingElseIsAnArgumentError() {
        let x = input("x", [3])
        let node = Build.setSubtensor(Build.unary(.exp, x, at: here), x, accumulate: false, at: here)
        #expect(node.error?.kind == .argument)
        #expect(node.error?.message.contains("x[...]") == true)
        #expect(node.error?.location == here)
    }

    @Test func advancedIndexRejectsFloatIndices() {
        let node = Build.advancedIndex(input("x", [3]), [input("i", [2])], at: here)
        #expect(node.error?.kind == .dtype)
    }
}

@Suite struct BuildConstructionTests {
    func int(_ v: Double) -> Node { Build.scalar(v, dtype: .int64, at: here) }

    @Test(arguments: [(0.0, 10.0, 3.0, 4), (5, 1, -2, 2), (3, 1, 1, 0), (0, 1, 0.25, 4)])
    func constantArangeLength(start: Double, stop: Double, step: Double, length: Int) throws {
        let dtype: DType = step.rounded() == step ? .int64 : .float32
        let r = Build.arange(Build.scalar(start, dtype: dtype, at: here), Build.scalar(stop, dtype: dtype, at: here),
                             Build.scalar(step, dtype: dtype, at: here), dtype: nil, at: here)
        try r.check()
        #expect(r.type == TensorType(dtype, [.constant(length)]))
    }

    @Test func arangeOverADimensionHasThatLength() throws {
        let x = input("x", [nil, 10])
        let r = Build.arange(int(0), Build.dimension(x, axis: 0, at: here), int(1), dtype: nil, at: here)
        #expect(r.type.shape == [x.type.shape[0]])
        let n = input("n", .int64, [])
        let unknown = Build.arange(int(0), n, int(1), dtype: .float32, at: here)
        #expect(unknown.type.dtype == .float32)
        guard case .symbol(let s) = unknown.type.shape[0] else { Issue.record("expected a symbol"); return }
        #expect(s.hint == "k")
        #expect(Build.arange(int(0), int(3), int(0), dtype: nil, at: here).error?.kind == .argument)
    }

    @Test func staticDimUnderstandsSizeArithmetic() {
        let x = input("x", [nil, 10])
        let n = Build.dimension(x, axis: 0, at: here), k = Build.dimension(x, axis: -1, at: here)
        let expr = Build.binary(.sub, Build.binary(.mul, n, Build.cast(k, to: .int32, at: here), at: here), int(3), at: here)
        #expect(Build.staticDim(of: expr) == x.type.shape[0] * 10 - 3)
        #expect(Build.staticDim(of: input("m", .int64, [])) == nil)
        #expect(Build.staticDim(of: Build.cast(input("f", []), to: .int64, at: here)) == nil)
    }

    @Test func fillAndAlloc() throws {
        let x = input("x", [nil, 3])
        let filled = Build.fill(like: x, value: 1, dtype: nil, at: here)
        try filled.check()
        #expect(filled.type == x.type)
        #expect(Build.fill(like: input("c", [2, 3]), value: 0, dtype: .int32, at: here).type == TensorType(.int32, [2, 3]))
        #expect(Build.alloc(input("v", [2]), dims: [int(3)], at: here).error?.kind == .shape)
    }
}

@Suite struct BuildNNTests {
    @Test func crossentropyWithIntLabelsIndexesRows() throws {
        let p = Build.softmax(input("x", [nil, 10]), axis: -1, at: here)
        #expect(p.op == .softmax(axis: 1))
        let loss = Build.categoricalCrossentropy(p, input("y", .int32, [nil]), at: here)
        try loss.check()
        #expect(loss.type == TensorType(.float32, [p.type.shape[0]]))
        #expect(ops(loss).contains(.advancedIndex))
        #expect(ops(loss).contains { if case .arange = $0 { true } else { false } })
    }

    @Test func crossentropyWithSoftTargetsSums() throws {
        let p = Build.softmax(input("x", [nil, 10]), axis: 1, at: here)
        let loss = Build.categoricalCrossentropy(p, input("t", [nil, 10]), at: here)
        try loss.check()
        #expect(loss.type.rank == 1)
        #expect(ops(loss).contains(.reduce(.sum, axes: [1], keepDims: false)))
    }

    @Test func crossentropyMisuseRecordsErrors() {
        let p = input("p", [nil, 10])
        #expect(Build.categoricalCrossentropy(p, input("y", [nil]), at: here).error?.kind == .shape)
        #expect(Build.categoricalCrossentropy(input("q", .int32, [2, 3]), input("y", .int32, [2]), at: here)
                .error?.kind == .dtype)
    }

    @Test func binaryCrossentropyIsElementwise() throws {
        let loss = Build.binaryCrossentropy(input("p", [nil]), input("t", .int32, [nil]), at: here)
        try loss.check()
        #expect(loss.type.dtype == .float32)
        #expect(loss.type.rank == 1)
        #expect(Build.logSoftmax(input("i", .int32, [3]), axis: 0, at: here).type.dtype == .float32)
        #expect(Build.stopGradient(input("s", [2]), at: here).op == .stopGradient)
    }
}
