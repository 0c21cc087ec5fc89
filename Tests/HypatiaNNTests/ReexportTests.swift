import HypatiaNN
import Testing

/// `import HypatiaNN` alone gives a model script the symbolic API and the data helpers.
@Suite struct ReexportTests {
    @Test func symbolicAPIAndDataAreReexported() throws {
        let x = vector("x")
        let f = try function(inputs: [x], outputs: [x * 2])
        let y = try f(try Tensor(shape: [3], scalars: [1, 2, 3] as [Float]))[0]
        #expect(y.scalars(as: Float.self) == [2, 4, 6])
        let batches = Minibatches(count: 5, batchSize: 2, shuffle: false)
        #expect(batches.map(\.count) == [2, 2, 1])
    }
}
