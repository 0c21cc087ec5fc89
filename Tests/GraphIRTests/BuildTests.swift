import Testing
import TensorRuntime
@testable import GraphIR

/// A location tests pass to builders, to check errors carry it.
let here = SourceLocation(fileID: "GraphIRTests/BuildTests.swift", line: 42)

@Suite struct BuildBroadcastTests {
    @Test func matrixPlusVectorBroadcastsTheVector() throws {
        let x = Build.input("x", dtype: .float32, shape: [nil, 10], at: here)
        let b = Build.input("b", dtype: .float32, shape: [10], at: here)
        let sum = Build.binary(.add, x, b, at: here)
        try sum.check()
        #expect(sum.type == x.type)
        #expect(sum.op == .elementwise(.add))
        #expect(sum.inputs[0] === x)
        #expect(sum.inputs[1].op == .broadcast(x.type.shape))
        #expect(sum.inputs[1].inputs[0] === b)
    }
}
