import Foundation
import Hypatia
import Testing

/// One public API call applied to x = [[0, 1, 2], [3, 4, 5]] (float32) and its expected value.
struct APICase: Sendable, CustomStringConvertible {
    let description: String
    let shape: [Int]
    let expected: [Double]
    let build: @Sendable (Variable) -> Variable

    init(_ name: String, _ shape: [Int], _ expected: [Double], _ build: @escaping @Sendable (Variable) -> Variable) {
        description = name
        self.shape = shape
        self.expected = expected
        self.build = build
    }
}

let e = M_E
let xs: [Double] = [0, 1, 2, 3, 4, 5]
/// softplus(-x) + sigmoid(x) + tanh(x) + erf(x) in float64.
let smoothExpected: [Double] = xs.map { (x: Double) -> Double in
    let softplus: Double = Foundation.log(1 + Foundation.exp(-x))
    let sigmoid: Double = 1 / (1 + Foundation.exp(-x))
    return softplus + sigmoid + Foundation.tanh(x) + Foundation.erf(x)
}
let logExpected: [Double] = xs.map { (x: Double) -> Double in Foundation.log(1 + x) }
let softmaxExpected: [Double] = [1, e, e * e, 1, e, e * e].map { (v: Double) -> Double in v / (1 + e + e * e) }
let logSoftmaxExpected: [Double] = [Double](repeating: -Foundation.log(1 + e * e * e), count: 3)
    + [Double](repeating: -Foundation.log(1 + Foundation.exp(-3.0)), count: 3)
let bceExpected: [Double] = [0.5, 0.25, 0.75].map { (p: Double) -> Double in -Foundation.log(p) }
let indexingCases: [APICase] = [
    APICase("x[1]", [3], [3, 4, 5]) { $0[1] },
    APICase("x[0..<2, 1]", [2], [1, 4]) { $0[0..<2, 1] },
    APICase("x[1...]", [1, 3], [3, 4, 5]) { $0[1...] },
    APICase("x[..<1]", [1, 3], [0, 1, 2]) { $0[..<1] },
    APICase("x[0...0]", [1, 3], [0, 1, 2]) { $0[0...0] },
    APICase("x[Slice(step: -1)]", [2, 3], [3, 4, 5, 0, 1, 2]) { $0[Slice(step: -1)] },
    APICase("x[-1, Slice(start: -2)]", [2], [4, 5]) { $0[-1, Slice(start: -2)] },
    APICase("x[...]", [2, 3], [0, 1, 2, 3, 4, 5]) { $0[...] },
    APICase("x[arange(2), [2, 0]]", [2], [2, 3]) { $0[arange(2), constant(Tensor([2, 0]))] },
    APICase("setSubtensor(x[0], 9)", [2, 3], [9, 9, 9, 3, 4, 5]) { setSubtensor($0[0], 9) },
    APICase("incSubtensor(x[Slice(), 1], x[0, 0..<2])", [2, 3], [0, 1, 2, 3, 5, 5]) {
        incSubtensor($0[Slice(), 1], $0[0, 0..<2])
    },
]

let shapeCases: [APICase] = [
    APICase("x.T", [3, 2], [0, 3, 1, 4, 2, 5]) { $0.T },
    APICase("transpose", [3, 2], [0, 3, 1, 4, 2, 5]) { transpose($0, axes: [1, 0]) },
    APICase("dimshuffle(1, x, 0)", [3, 1, 2], [0, 3, 1, 4, 2, 5]) { $0.dimshuffle(1, "x", 0) },
    APICase("reshape([3, -1])", [3, 2], [0, 1, 2, 3, 4, 5]) { $0.reshape([3, -1]) },
    APICase("flatten", [6], [0, 1, 2, 3, 4, 5]) { flatten($0) },
    APICase("concatenate axis 1", [2, 6], [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5]) { concatenate([$0, $0], axis: 1) },
    APICase("stack", [2, 2, 3], [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]) { stack([$0, $0]) },
    APICase("arange(x.shape[1])", [3], [0, 1, 2]) { arange($0.shape[1]) },
    APICase("alloc(7, [x.shape[0]])", [2], [7, 7]) { alloc(7, dims: [$0.shape[0]]) },
    APICase("zerosLike + onesLike", [2, 3], [1, 1, 1, 1, 1, 1]) { zerosLike($0) + onesLike($0) },
    APICase("fill + zeros + ones", [2, 3], [3, 3, 3, 3, 3, 3]) { fill(like: $0, value: 2) + zeros([2, 3]) + ones([3]) },
]

let mathCases: [APICase] = [
    APICase("x * 2 + 1", [2, 3], [1, 3, 5, 7, 9, 11]) { $0 * 2 + 1 },
    APICase("2 - x / 2", [2, 3], [2, 1.5, 1, 0.5, 0, -0.5]) { 2 - $0 / 2 },
    APICase("-x + x * x", [2, 3], [0, 0, 2, 6, 12, 20]) { -$0 + $0 * $0 },
    APICase("pow(x, 2) - pow(x, x)", [2, 3], [-1, 0, 0, -18, -240, -3100]) { pow($0, 2) - pow($0, $0) },
    APICase("maximum/minimum", [2, 3], [2.5, 2.5, 2.5, 3, 3, 3]) { minimum(maximum($0, 2.5), 3) },
    APICase("clip", [2, 3], [1, 1, 2, 3, 4, 4]) { clip($0, 1, 4) },
    APICase("select(gt(x, 2), x, 0)", [2, 3], [0, 0, 0, 3, 4, 5]) { select(gt($0, 2), $0, 0) },
    APICase("comparisons", [2, 3], [1, 1, 1, 0, 1, -1]) {
        cast(logicalOr(logicalAnd(le($0, 4), neq($0, 3)), logicalNot(ge($0, 0))), to: .float32)
            - cast(logicalOr(eq($0, 5), lt($0, -1)), to: .float32)
    },
    APICase("exp(log1p(x)) + expm1(0)", [2, 3], [1, 2, 3, 4, 5, 6]) { exp(log1p($0)) + expm1($0 * 0) },
    APICase("sqrt, abs, sign", [2, 3], [0, 2, 2.414213562, 2.732050808, 3, 3.236067977]) {
        sqrt($0) + abs(-$0) * sign($0) - $0 + sign($0)
    },
    APICase("relu, softplus, sigmoid, tanh, erf", [2, 3], smoothExpected) {
        relu($0) - $0 + softplus(-$0) + sigmoid($0) + tanh($0) + erf($0)
    },
    APICase("log", [2, 3], logExpected) { log($0 + 1) },
]

let linalgCases: [APICase] = [
    APICase("dot(x, x.T)", [2, 2], [5, 14, 14, 50]) { dot($0, $0.T) },
    APICase("outer", [3, 3], [0, 0, 0, 3, 4, 5, 6, 8, 10]) { outer($0[0], $0[1]) },
    APICase("batchedDot", [2, 1, 1], [5, 50]) { batchedDot($0.dimshuffle(0, "x", 1), $0.dimshuffle(0, 1, "x")) },
]

let nnCases: [APICase] = [
    APICase("softmax", [2, 3], softmaxExpected) { softmax($0) },
    APICase("logSoftmax axis 0", [2, 3], logSoftmaxExpected) { logSoftmax($0, axis: 0) },
    APICase("binaryCrossentropy", [3], bceExpected) {
        binaryCrossentropy(constant(Tensor([Float(0.5), 0.75, 0.25])), constant(Tensor([Float(1), 0, 0])))
            + $0[0] * 0
    },
]

let reductionCases: [APICase] = [
    APICase("sum(axis: 1)", [2], [3, 12]) { sum($0, axis: 1) },
    APICase("mean()", [], [2.5]) { $0.mean() },
    APICase("max(axis: 0)", [3], [3, 4, 5]) { $0.max(axis: 0) },
    APICase("min(axes: [0, 1])", [], [0]) { min($0, axes: [0, 1]) },
    APICase("prod(axis: 1, keepDims)", [2, 1], [0, 60]) { $0.prod(axis: 1, keepDims: true) },
    APICase("sum(axes: nil) of mean", [], [7.5]) { sum(mean($0, axis: 0), axes: nil) },
    APICase("argmax(axis: 1)", [2], [2, 2]) { argmax($0, axis: 1) },
    APICase("argmin()", [], [0]) { $0.argmin() },
    APICase("variance(axis: 1)", [2], [2.0 / 3, 2.0 / 3]) { variance($0, axis: 1) },
    APICase("std(ddof: 1)", [], [(3.5).squareRoot()]) { $0.std(ddof: 1) },
    APICase("sum of bool", [], [2]) { eq($0, 3).sum() + eq($0, 4).sum() },
]

@Suite struct VariableOpTests {
    static let x = try! Tensor(shape: [2, 3], values: [0, 1, 2, 3, 4, 5], dtype: .float32)

    @Test(arguments: indexingCases + shapeCases + mathCases + linalgCases + nnCases + reductionCases)
    func opMatchesReference(_ c: APICase) throws {
        let x = matrix("x", shape: [nil, 3])
        let out = c.build(x)
        try out.check()
        let f = try function(inputs: [x], outputs: [out])
        let value = try f(Self.x)[0]
        #expect(value.shape == c.shape)
        let tolerance = 1e-5 * Swift.max(1, c.expected.map(Swift.abs).max() ?? 1)
        #expect(close(value.scalars, c.expected, tolerance: tolerance), "\(value.scalars)")
    }

    @Test func numbersAreTypedWeaklyLikeNumpy() {
        let n = vector("n", dtype: .int32), x = vector("x"), d = vector("d", dtype: .float64)
        let mask = vector("mask", dtype: .bool)
        #expect((n * 2).dtype == .int32)
        #expect((n + 0.5).dtype == .float32)
        #expect((x * 2).dtype == .float32)
        #expect((2 * d).dtype == .float64)
        #expect((mask * 2).dtype == .int64)
        #expect(maximum(n, 1).dtype == .int32)
        #expect(eq(n, 3).dtype == .bool)
    }

    @Test func variableProperties() {
        let x = matrix("x", shape: [nil, 784])
        #expect(x.name == "x" && x.dtype == .float32 && x.rank == 2 && x.shape.count == 2)
        #expect(x.type.shape[1] == 784 && x.type.shape[0].constantValue == nil)
        #expect(x.shape[0].dtype == .int64 && x.shape[0].rank == 0)
        let y = tensor("t", dtype: .uint8, shape: [2, nil, 3, 4, 5])
        #expect(y.rank == 5 && y.dtype == .uint8 && y.type.shape[3] == 4)
        #expect(tensor4().rank == 4 && tensor3().rank == 3 && vector().rank == 1 && scalar().rank == 0)
        let W = shared(Tensor(zeros: [3, 2], dtype: .float64), name: "W")
        #expect(W.name == "W" && W.type == TensorType(.float64, [3, 2]) && W.value.shape == [3, 2])
        #expect((x + 1).description.contains("f32[") && x.description.contains("x"))
        #expect(x == x && x != matrix("x"))
    }

    @Test func gradOfSingleVariableAndKnownGrads() throws {
        let x = vector("x")
        let h = x * x
        let g = grad(h.sum(), wrt: x)
        let f = try function(inputs: [x], outputs: [g])
        #expect(try f(try f32([2], [1, -3]))[0].scalars == [2, -6])
        // Seeding h's gradient with ones makes d(sum of 3 h)/dx ignore the factor 3 path.
        let seeded = grad((h * 3).sum(), wrt: [x], knownGrads: [(h, onesLike(h))])[0]
        let fs = try function(inputs: [x], outputs: [seeded])
        #expect(try fs(try f32([2], [1, -3]))[0].scalars == [2, -6])
    }

    @Test func disconnectedInputs() throws {
        let x = vector("x"), y = vector("y")
        let cost = x.sum()
        let raised = grad(cost, wrt: [y])[0]
        #expect(graphError { try raised.check() }?.kind == .disconnected)
        let zero = grad(cost, wrt: [y], disconnectedInputs: .zero)[0]
        let f = try function(inputs: [y], outputs: [zero])
        #expect(try f(try f32([3], [1, 2, 3]))[0].scalars == [0, 0, 0])
    }
}
