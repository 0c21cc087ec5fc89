import Testing
import TensorRuntime
@testable import HypatiaData

@Suite("Minibatches")
struct MinibatchTests {
    @Test func sameSeedAndEpochGiveTheSameBatches() throws {
        let a = Array(Minibatches(count: 100, batchSize: 7, seed: 3, epoch: 2))
        let b = Array(Minibatches(count: 100, batchSize: 7, seed: 3, epoch: 2))
        #expect(a == b)
        #expect(a != Array(Minibatches(count: 100, batchSize: 7, seed: 3, epoch: 3)))
        #expect(a != Array(Minibatches(count: 100, batchSize: 7, seed: 4, epoch: 2)))
    }

    @Test(arguments: [(100, 7), (10, 10), (10, 20), (1, 1), (60000, 600)])
    func everyIndexOncePerEpoch(_ count: Int, _ batchSize: Int) throws {
        for shuffle in [false, true] {
            let batches = Array(Minibatches(count: count, batchSize: batchSize, shuffle: shuffle, seed: 1))
            #expect(batches.flatMap { $0 }.sorted() == Array(0..<count))
            #expect(batches.dropLast().allSatisfy { $0.count == batchSize })
            #expect(batches.count == (count + batchSize - 1) / batchSize)
        }
    }

    @Test func unshuffledBatchesAreConsecutive() throws {
        let batches = Array(Minibatches(count: 7, batchSize: 3, shuffle: false))
        #expect(batches == [[0, 1, 2], [3, 4, 5], [6]])
        #expect(Array(Minibatches(count: 7, batchSize: 3, shuffle: false, dropLast: true)) == [[0, 1, 2], [3, 4, 5]])
    }

    @Test func dropLastOmitsTheShortBatch() throws {
        let m = Minibatches(count: 10, batchSize: 3, seed: 9, dropLast: true)
        let batches = Array(m)
        #expect(m.batchCount == 3 && batches.count == 3)
        #expect(batches.allSatisfy { $0.count == 3 })
        #expect(Set(batches.flatMap { $0 }).count == 9)
        #expect(Array(Minibatches(count: 2, batchSize: 3, dropLast: true)).isEmpty)
        #expect(Array(Minibatches(count: 0, batchSize: 3)).isEmpty)
    }

    /// The first element of the permutation is uniform over the examples (loose chi-square).
    @Test func permutationsAreUnbiased() throws {
        var counts = [Int](repeating: 0, count: 5)
        for seed in 0..<5000 {
            counts[Minibatches(count: 5, batchSize: 5, seed: UInt64(seed)).order[0]] += 1
        }
        let chiSquare = counts.reduce(0.0) { $0 + (Double($1) - 1000) * (Double($1) - 1000) / 1000 }
        #expect(chiSquare < 20, "counts \(counts)")  // 4 degrees of freedom: p < 0.001
    }

    @Test func batchesGatherRows() throws {
        let data = try Tensor(shape: [6, 2], scalars: (0..<12).map { Float($0) })
        for batch in Minibatches(count: 6, batchSize: 4, seed: 2) {
            let rows = try data.rows(batch)
            #expect(rows.shape == [batch.count, 2])
            #expect(rows.scalars == batch.flatMap { [Double(2 * $0), Double(2 * $0 + 1)] })
        }
    }

    @Test func splitTakesTheLastExamplesForValidation() throws {
        let images = try Tensor(shape: [10, 2], scalars: (0..<20).map { Float($0) })
        let labels = try Tensor(shape: [10], scalars: (0..<10).map { Int32($0) })
        let split = try splitTrainValidation(images: images, labels: labels, validationCount: 3)
        #expect(split.trainImages.shape == [7, 2] && split.validationImages.shape == [3, 2])
        #expect(split.trainLabels.scalars == (0..<7).map(Double.init))
        #expect(split.validationLabels.scalars == [7, 8, 9])
        #expect(split.validationImages.scalars == (14..<20).map(Double.init))
        #expect(try splitTrainValidation(images: images, labels: labels, validationCount: 0).validationLabels.shape == [0])
        expectDataError([.invalidArgument]) { _ = try splitTrainValidation(images: images, labels: labels, validationCount: 11) }
        expectDataError([.invalidArgument]) { _ = try splitTrainValidation(images: images, labels: labels, validationCount: -1) }
        expectDataError([.invalidArgument]) {
            _ = try splitTrainValidation(images: images, labels: Tensor([Int32(1)]), validationCount: 1)
        }
    }
}
