import Testing
import TensorRuntime
@testable import GraphIR

/// A shared variable node of zeros.
func sharedNode(_ name: String, _ shape: [Int]) -> (Node, SharedStorage) {
    let storage = SharedStorage(name: name, type: TensorType(.float32, shape.map { .constant($0) }),
                                value: Tensor(zeros: shape))
    return (Build.shared(storage, at: here), storage)
}

/// Logistic regression: cost and the update of b.
func logisticRegression() -> Graph {
    let x = input("x", [nil, 784]), y = input("y", .int32, [nil])
    let (W, _) = sharedNode("W", [784, 10]), (b, bStorage) = sharedNode("b", [10])
    let p = Build.softmax(Build.binary(.add, Build.dot(x, W, at: here), b, at: here), axis: 1, at: here)
    let losses = Build.categoricalCrossentropy(p, y, at: here)
    let cost = Build.reduce(.mean, losses, axes: nil, keepDims: false, at: here)
    let step = Build.binary(.mul, Build.scalar(0.1, dtype: .float32, at: here), b, at: here)
    var graph = Graph(name: "train", inputs: [x, y], outputs: [cost, Build.binary(.sub, b, step, at: here)],
                      outputCount: 1)
    graph.updateTargets = [bStorage]
    return graph
}

@Suite struct PrinterTests {
    @Test func goldenLogisticRegression() {
        let expected = """
            graph @train(%x: f32[?x0,784], %y: i32[?y0], %W: f32[784,10] shared, %b: f32[10] shared) -> (f32[]) {
              %0 = dot %x, %W : f32[?x0,10]
              %1 = broadcast %b {shape=[?x0,10]} : f32[?x0,10]
              %2 = add %0, %1 : f32[?x0,10]
              %3 = softmax %2 {axis=1} : f32[?x0,10]
              %4 = constant 0 : i64[]
              %5 = dimension %3 {axis=0} : i64[]
              %6 = constant 1 : i64[]
              %7 = arange %4, %5, %6 {length=?x0} : i64[?x0]
              %8 = cast<i64> %y : i64[?y0]
              %9 = advancedIndex %3, %7, %8 : f32[?x0]
              %10 = log %9 : f32[?x0]
              %11 = neg %10 : f32[?x0]
              %12 = mean %11 {axes=[0]} : f32[]
              %13 = constant 0.1 : f32[]
              %14 = broadcast %13 {shape=[10]} : f32[10]
              %15 = mul %14, %b : f32[10]
              %16 = sub %b, %15 : f32[10]
              return %12
              updates %b = %16
            }

            """
        let graph = logisticRegression()
        #expect(printGraph(graph) == expected)
        #expect(printGraph(graph) == printGraph(graph))
        #expect(verifyGraph(graph) == [])
    }

    @Test func repeatedNamesAndHintsAreDisambiguated() {
        let a = input("x", [nil]), b = input("x", [nil, 2])
        let graph = Graph(name: "g", inputs: [a, b], outputs: [b], outputCount: 1)
        #expect(printGraph(graph) == """
            graph @g(%x: f32[?x0], %x_1: f32[?x0_1,2]) -> (f32[?x0_1,2]) {
              return %x_1
            }

            """)
    }

    @Test func constantsPrintValuesOrASummary() throws {
        let small = Build.constant(try Tensor(shape: [2, 2], scalars: [1, -2, 3, 4] as [Int32]), at: here)
        let flags = Build.constant(Tensor([true, false]), at: here)
        let big = Build.constant(Tensor(zeros: [3, 3], dtype: .float64), at: here)
        let text = printGraph(Graph(name: "c", inputs: [], outputs: [small, flags, big], outputCount: 3))
        #expect(text.contains("%0 = constant [[1, -2], [3, 4]] : i32[2,2]"))
        #expect(text.contains("%1 = constant [true, false] : bool[2]"))
        #expect(text.contains("%2 = constant <9 values #"))
        #expect(text.contains("return %0, %1, %2"))
    }

    @Test func attributesOfShapeOps() {
        let x = input("x", [nil, 6])
        let s = Build.slice(x, [.all, .range(start: nil, stop: nil, step: -2)], at: here)
        let r = Build.reduce(.max, Build.dimshuffle(s, [1, nil, 0], at: here), axes: [2], keepDims: true, at: here)
        let text = printGraph(Graph(name: "s", inputs: [x], outputs: [r], outputCount: 1))
        #expect(text.contains("%0 = slice %x {specs=[:, ::-2]} : f32[?x0,3]"))
        #expect(text.contains("%1 = dimshuffle %0 {pattern=[1,x,0]} : f32[3,1,?x0]"))
        #expect(text.contains("%2 = max %1 {axes=[2], keepDims=true} : f32[3,1,1]"))
    }

    @Test func unnamedUpdatesAndErrorComments() {
        let x = input("x", [3])
        let bad = Build.binary(.add, x, input("z", [4]), at: here)
        let text = printGraph(Graph(name: "e", inputs: [x], outputs: [bad, x], outputCount: 1))
        #expect(text.contains("// error: GraphIRTests/BuildTests.swift:42: add: shapes f32[3] and f32[4]"))
        #expect(text.contains("updates %x\n"))
    }
}

@Suite struct VerifierTests {
    @Test func reportsRecordedErrorsOnceWhereTheyArise() {
        let x = input("x", [3])
        let bad = Build.binary(.add, x, input("y", [4]), at: here)
        let worse = Build.unary(.exp, bad, at: here)
        let problems = verifyGraph(Graph(name: "e", inputs: [x], outputs: [worse], outputCount: 1))
        let recorded = problems.filter { $0.contains("recorded error") }
        #expect(recorded.count == 1)
        #expect(recorded.first?.contains("add") == true)
        #expect(recorded.first?.contains("BuildTests.swift:42") == true)
    }

    @Test func reportsUnlistedInputsAndBadSignatures() {
        let x = input("x", [3]), y = input("y", [3])
        let sum = Build.binary(.add, x, y, at: here)
        let problems = verifyGraph(Graph(name: "g", inputs: [x, x, sum], outputs: [sum], outputCount: 2))
        #expect(problems.contains { $0.contains("input \"y\" is not among the graph's inputs") })
        #expect(problems.contains { $0.contains("listed twice") })
        #expect(problems.contains { $0.contains("not an input") })
        #expect(problems.contains { $0.contains("outputCount 2") })
    }

    @Test func reportsUpdatesThatDoNotFit() {
        let (b, storage) = sharedNode("b", [10])
        var graph = Graph(name: "u", inputs: [], outputs: [Build.reduce(.sum, b, axes: nil, keepDims: false, at: here)],
                          outputCount: 0)
        graph.updateTargets = [storage]
        let problems = verifyGraph(graph)
        #expect(problems == ["update %b = %0: f32[] does not fit f32[10]"])
    }

    @Test func acceptsAWellFormedGraph() {
        #expect(verifyGraph(logisticRegression()).isEmpty)
    }
}

@Suite struct PrinterNamingTests {
    @Test func oddNamesBecomeIdentifiers() {
        let a = input("my input", [nil]), b = input("2nd", [])
        let text = printGraph(Graph(name: "n", inputs: [a, b], outputs: [a], outputCount: 1))
        #expect(text.hasPrefix("graph @n(%my_input: f32[?my_input0], %_2nd: f32[]) -> (f32[?my_input0]) {"))
    }

    @Test func unlistedInputsPrintAsInstructions() {
        let x = input("x", [2]), z = input("z", [nil])
        let text = printGraph(Graph(name: "u", inputs: [x], outputs: [z], outputCount: 1))
        #expect(text.contains("%0 = input {name=\"z\"} : f32[?z0]"))
    }
}
