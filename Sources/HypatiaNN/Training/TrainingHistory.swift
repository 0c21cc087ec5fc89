import Foundation

/// What one epoch of training measured.
public struct EpochRecord: Sendable, Equatable {
    /// The epoch number, from 1.
    public var epoch: Int
    /// Mean training loss over the epoch's minibatches, weighted by batch size (the losses are
    /// those returned while the parameters were changing, as every progress report shows).
    public var trainLoss: Double
    /// Validation loss at the epoch's last validation; nil without one.
    public var validationLoss: Double?
    /// Validation error at the epoch's last validation; nil without one.
    public var validationError: Double?
    /// Minibatches trained in the epoch (fewer than a full epoch when training stopped inside it).
    public var batches: Int
    /// Examples trained in the epoch.
    public var examples: Int
    /// Wall-clock seconds of the epoch, validation included.
    public var seconds: Double

    /// A record from its fields.
    public init(epoch: Int, trainLoss: Double, validationLoss: Double? = nil, validationError: Double? = nil,
                batches: Int, examples: Int, seconds: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
        self.validationError = validationError
        self.batches = batches
        self.examples = examples
        self.seconds = seconds
    }
}

/// The record of a training run: one `EpochRecord` per epoch, the best validation score and
/// where it was reached, and why training stopped.
public struct TrainingHistory: Sendable, Equatable {
    /// The epochs trained, in order.
    public var epochs: [EpochRecord] = []
    /// The epoch (from 1) in which the best validation score was measured; nil without validation.
    public var bestEpoch: Int?
    /// The best validation score (error if reported, else loss); nil without validation.
    public var bestValidationScore: Double?
    /// Whether the parameters were reset to their values at the best validation score.
    public var restoredBest = false
    /// Why training ended.
    public var stopReason: StopReason = .maxEpochs

    /// An empty history.
    public init() {}

    /// Training losses per epoch.
    public var trainLosses: [Double] { epochs.map(\.trainLoss) }
    /// Validation losses per epoch (nil where none was measured).
    public var validationLosses: [Double?] { epochs.map(\.validationLoss) }
    /// Validation errors per epoch (nil where none was measured).
    public var validationErrors: [Double?] { epochs.map(\.validationError) }
    /// Total wall-clock seconds.
    public var seconds: Double { epochs.reduce(0) { $0 + $1.seconds } }
    /// The record of the best epoch, if any.
    public var best: EpochRecord? { bestEpoch.flatMap { epoch in epochs.first { $0.epoch == epoch } } }

    /// The history as CSV: a header
    /// `epoch,train_loss,validation_loss,validation_error,batches,examples,seconds,best`, then one
    /// line per epoch; missing values are empty fields and `best` is 1 on the best epoch.
    public func csv() -> String {
        var text = "epoch,train_loss,validation_loss,validation_error,batches,examples,seconds,best\n"
        for e in epochs {
            let fields = [String(e.epoch), Self.number(e.trainLoss), e.validationLoss.map(Self.number) ?? "",
                          e.validationError.map(Self.number) ?? "", String(e.batches), String(e.examples),
                          String(format: "%.3f", e.seconds), e.epoch == bestEpoch ? "1" : "0"]
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }

    /// Writes `csv()` to `path`; throws `DataError(.io)` when the file cannot be written.
    public func writeCSV(to path: String) throws {
        do {
            try Data(csv().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw DataError(.io, "cannot write the training history: \(error.localizedDescription)", path: path)
        }
    }

    /// A number with enough digits to read back exactly (`nan`, `inf` as numpy writes them).
    static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return "\(value)"
    }
}
