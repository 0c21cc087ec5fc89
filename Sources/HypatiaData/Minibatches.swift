import TensorRuntime

/// The index arrays of one epoch of minibatches over `count` examples.
///
/// Without shuffling, batches are consecutive runs `0..<b, b..<2b, ...`. With shuffling, a
/// Fisher–Yates permutation drawn from `RandomGenerator(seed: seed, stream: epoch)` (Philox)
/// orders the examples: deterministic for a seed, different for each epoch. Every index occurs
/// exactly once per epoch, except the final short batch that `dropLast` omits. Gather a batch
/// with `tensor.rows(batch)`.
public struct Minibatches: Sequence, Sendable {
    /// Number of examples.
    public let count: Int
    /// Examples per batch (the last batch may be smaller unless `dropLast`).
    public let batchSize: Int
    /// Whether examples are permuted.
    public let shuffle: Bool
    /// Seed of the permutation.
    public let seed: UInt64
    /// The epoch, selecting an independent permutation for the same seed.
    public let epoch: Int
    /// Whether a final batch smaller than `batchSize` is left out.
    public let dropLast: Bool

    /// Batches of `batchSize` over `count` examples.
    ///
    /// `count` must be non-negative and `batchSize` at least 1: like `stride(from:to:by: 0)`,
    /// anything else is a programming error and traps.
    public init(count: Int, batchSize: Int, shuffle: Bool = true, seed: UInt64 = 0, epoch: Int = 0,
                dropLast: Bool = false) {
        precondition(count >= 0, "Minibatches: negative example count \(count)")
        precondition(batchSize >= 1, "Minibatches: batch size \(batchSize) must be at least 1")
        self.count = count
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
        self.epoch = epoch
        self.dropLast = dropLast
    }

    /// The number of batches one epoch yields.
    public var batchCount: Int { dropLast ? count / batchSize : (count + batchSize - 1) / batchSize }

    /// The order of the examples in this epoch.
    public var order: [Int] {
        var order = Array(0..<count)
        guard shuffle, count > 1 else { return order }
        var generator = RandomGenerator(seed: seed, stream: UInt64(bitPattern: Int64(epoch)))
        for i in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(i, Int(Self.uniform(below: UInt64(i + 1), using: &generator)))
        }
        return order
    }

    /// An unbiased integer in `0..<bound` by rejection (independent of the standard library's
    /// algorithms, so permutations never change between Swift versions).
    static func uniform(below bound: UInt64, using generator: inout RandomGenerator) -> UInt64 {
        let threshold = (0 &- bound) % bound  // 2^64 mod bound
        while true {
            let r = generator.next()
            if r >= threshold { return r % bound }
        }
    }

    /// An iterator over this epoch's batches (the permutation is drawn here).
    public func makeIterator() -> Iterator { Iterator(order: order, batchSize: batchSize, batchCount: batchCount) }

    /// Yields consecutive slices of the epoch's order.
    public struct Iterator: IteratorProtocol {
        let order: [Int]
        let batchSize: Int
        let batchCount: Int
        var batch = 0

        /// The next batch of example indices, or nil after the last.
        public mutating func next() -> [Int]? {
            guard batch < batchCount else { return nil }
            let start = batch * batchSize
            batch += 1
            return Array(order[start..<Swift.min(start + batchSize, order.count)])
        }
    }
}

/// Examples split into a training part and a validation part (the last examples).
public struct TrainValidationSplit: Sendable, Equatable {
    /// Training inputs, `[n - validationCount, ...]`.
    public var trainImages: Tensor
    /// Training labels, aligned with `trainImages`.
    public var trainLabels: Tensor
    /// Validation inputs, `[validationCount, ...]`.
    public var validationImages: Tensor
    /// Validation labels, aligned with `validationImages`.
    public var validationLabels: Tensor

    /// A split from its four parts.
    public init(trainImages: Tensor, trainLabels: Tensor, validationImages: Tensor, validationLabels: Tensor) {
        self.trainImages = trainImages
        self.trainLabels = trainLabels
        self.validationImages = validationImages
        self.validationLabels = validationLabels
    }
}

/// Splits examples into a training part and the last `validationCount` examples, as the
/// Theano tutorials do with MNIST (50000 train + 10000 validation out of 60000).
///
/// Throws `DataError(.invalidArgument)` when images and labels disagree in count, either is a
/// scalar, or `validationCount` is outside `0...count`.
public func splitTrainValidation(images: Tensor, labels: Tensor, validationCount: Int) throws -> TrainValidationSplit {
    guard images.rank >= 1, labels.rank >= 1, images.shape[0] == labels.shape[0] else {
        throw DataError(.invalidArgument, "splitTrainValidation: images \(images.shape) and labels \(labels.shape) "
                        + "do not have the same number of examples")
    }
    let n = images.shape[0]
    guard (0...n).contains(validationCount) else {
        throw DataError(.invalidArgument, "splitTrainValidation: validationCount \(validationCount) not in 0...\(n)")
    }
    let trainRows = Array(0..<(n - validationCount))
    let validationRows = Array((n - validationCount)..<n)
    return TrainValidationSplit(trainImages: try images.rows(trainRows), trainLabels: try labels.rows(trainRows),
                                validationImages: try images.rows(validationRows),
                                validationLabels: try labels.rows(validationRows))
}
