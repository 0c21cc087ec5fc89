import Foundation
import Synchronization
import Testing
import TensorRuntime
@testable import GraphIR

@Suite struct InterpreterExecutableTests {
    /// x: f32[?n, 2], y: f32[?n] sharing ?n; out = sum(x, axis 1) * y.
    private func sharedSymbolGraph() throws -> (x: Node, y: Node, out: Node) {
        let n = IT.sym("n")
        let x = IT.input("x", .float32, [n, 2]), y = IT.input("y", .float32, [n])
        let rows = try IT.node(.reduce(.sum, axes: [1], keepDims: false), [x])
        return (x, y, try IT.node(.elementwise(.mul), [rows, y]))
    }

    @Test func symbolSharedByTwoInputs() throws {
        let g = try sharedSymbolGraph()
        let out = try IT.run([g.x, g.y], [g.out], [IT.t([3, 2], [1, 2, 3, 4, 5, 6], .float32), IT.vec([1, 0, -1], .float32)])
        #expect(out[0] == IT.vec([3, 0, -11], .float32))
        IT.expectError(.input, ["call", "'y'", "[4]", "?n = 3"], at: nil) {
            _ = try IT.run([g.x, g.y], [g.out], [IT.t([3, 2], [1, 2, 3, 4, 5, 6], .float32), IT.vec([1, 2, 3, 4], .float32)])
        }
    }

    @Test func wrongArgumentCount() throws {
        let g = try sharedSymbolGraph()
        IT.expectError(.input, ["takes 2 arguments", "'x'", "'y'", "got 1"], at: nil) {
            _ = try IT.run([g.x, g.y], [g.out], [IT.t([1, 2], [1, 2], .float32)])
        }
    }

    @Test func wrongDtypeAndRank() throws {
        let g = try sharedSymbolGraph()
        IT.expectError(.input, ["'y'", "float64", "float32"], at: nil) {
            _ = try IT.run([g.x, g.y], [g.out], [IT.t([1, 2], [1, 2], .float32), IT.vec([1])])
        }
        IT.expectError(.input, ["'x'", "[2]", "f32[?n,2]"], at: nil) {
            _ = try IT.run([g.x, g.y], [g.out], [IT.vec([1, 2], .float32), IT.vec([1], .float32)])
        }
        IT.expectError(.input, ["'x'", "[1, 3]"], at: nil) {
            _ = try IT.run([g.x, g.y], [g.out], [IT.t([1, 3], [1, 2, 3], .float32), IT.vec([1], .float32)])
        }
    }

    @Test func missingInputIsReportedAtCompile() throws {
        let g = try sharedSymbolGraph()
        let graph = Graph(name: "f", inputs: [g.x], outputs: [g.out], outputCount: 1)
        IT.expectError(.missingInput, ["'y'"]) { _ = try ReferenceBackend().compile(graph) }
    }

    @Test func recordedBuildErrorIsThrownAtCompile() throws {
        let bad = Node.make(.dot, [IT.const(IT.vec([1, 2])), IT.const(IT.vec([1, 2, 3]))], at: IT.loc)
        let graph = Graph(name: "f", inputs: [], outputs: [bad], outputCount: 1)
        IT.expectError(.shape, ["dot"]) { _ = try ReferenceBackend().compile(graph) }
    }

    @Test func sharedVariablesComeAfterInputs() throws {
        let storage = SharedStorage(name: "W", type: TensorType(.float32, [2]), value: IT.vec([0, 0], .float32))
        let w = Node.make(.shared(storage), [], at: IT.loc)
        let x = IT.input("x", .float32, [2])
        let sum = try IT.node(.elementwise(.add), [x, w])
        let graph = Graph(name: "f", inputs: [x], outputs: [sum], outputCount: 1)
        #expect(graph.sharedInputs == [w])
        let exe = try ReferenceBackend().compile(graph)
        #expect(try exe.run([IT.vec([1, 2], .float32), IT.vec([10, 20], .float32)])[0] == IT.vec([11, 22], .float32))
        IT.expectError(.input, ["shared 'W'", "[3]"], at: nil) {
            _ = try exe.run([IT.vec([1, 2], .float32), IT.vec([1, 2, 3], .float32)])
        }
    }

    /// Outputs that are also operands of later nodes, repeated outputs, inputs as outputs and
    /// nodes used twice by one user must survive the release of intermediates.
    @Test func intermediatesReleasedOnlyAfterLastUse() throws {
        let x = IT.input("x", .float64, [IT.sym("n")])
        let e = try IT.node(.elementwise(.exp), [x])
        let square = try IT.node(.elementwise(.mul), [e, e])
        let total = try IT.node(.reduce(.sum, axes: [0], keepDims: false), [square])
        let out = try IT.run([x], [e, total, e, x], [IT.vec([0, 0])])
        #expect(out.map(\.scalars) == [[1, 1], [2], [1, 1], [0, 0]])
    }

    @Test func errorsCarryTheNodeLocation() throws {
        let place = GraphIR.SourceLocation(fileID: "User/main.swift", line: 99)
        let x = IT.input("x", .float64, [IT.sym("n")])
        let picked = Node.make(.slice([.index(2)]), [x], at: place)
        try picked.check()
        IT.expectError(.runtime, ["User/main.swift:99", "slice"], at: place) {
            _ = try IT.run([x], [picked], [IT.vec([1])])
        }
    }

    @Test func unusedInputsAreStillChecked() throws {
        let x = IT.input("x", .float32, [2]), unused = IT.input("u", .int32, [IT.sym("k")])
        let y = try IT.node(.elementwise(.neg), [x])
        #expect(try IT.run([x, unused], [y], [IT.vec([1, 2], .float32), IT.vec([], .int32)])[0]
                == IT.vec([-1, -2], .float32))
        IT.expectError(.input, ["'u'", "float32"], at: nil) {
            _ = try IT.run([x, unused], [y], [IT.vec([1, 2], .float32), IT.vec([], .float32)])
        }
    }

    @Test func concurrentRunsGiveIdenticalResults() throws {
        let n = IT.sym("n")
        let x = IT.input("x", .float32, [n, 3]), w = IT.input("w", .float32, [3, 4])
        let logits = try IT.node(.dot, [x, w])
        let p = try IT.node(.softmax(axis: 1), [logits])
        let loss = try IT.node(.reduce(.mean, axes: [0, 1], keepDims: false), [p])
        let graph = Graph(name: "f", inputs: [x, w], outputs: [p, loss], outputCount: 2)
        let exe = try ReferenceBackend().compile(graph)
        let batches = (1...8).map { b in IT.t([b, 3], (0..<(3 * b)).map { Double($0 % 7) * 0.25 }, .float32) }
        let weights = IT.t([3, 4], (0..<12).map { Double($0) * 0.1 - 0.5 }, .float32)
        let expected = try batches.map { try exe.run([$0, weights]) }
        let results = Mutex<[[Tensor]?]>(Array(repeating: nil, count: 64))
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let out = try? exe.run([batches[i % 8], weights])
            results.withLock { $0[i] = out }
        }
        let all = results.withLock { $0 }
        for (i, out) in all.enumerated() { #expect(out == expected[i % 8], "run \(i)") }
    }
}
