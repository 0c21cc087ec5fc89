import Foundation

/// How the training loop reports progress.
public enum ProgressStyle: Sendable, Equatable {
    /// `inPlace` when the output is a terminal (isatty), else `perEpoch`; `perEpoch` for a
    /// custom output.
    case automatic
    /// One line rewritten in place after every minibatch (at most ten times a second): epoch,
    /// batch i/n, running mean loss, examples per second and the epoch's ETA; then one line per
    /// epoch that stays.
    case inPlace
    /// One line per epoch (for logs and pipes).
    case perEpoch
    /// Nothing.
    case silent
}

/// Where the training loop's progress goes.
public enum ProgressOutput {
    /// Standard output (flushed after each write).
    case standardOutput
    /// Standard error.
    case standardError
    /// A function receiving each piece of text (lines end in "\n"; in-place updates start with
    /// "\r").
    case custom((String) -> Void)

    /// Whether the output is a terminal.
    var isTerminal: Bool {
        switch self {
        case .standardOutput: return isatty(STDOUT_FILENO) != 0
        case .standardError: return isatty(STDERR_FILENO) != 0
        case .custom: return false
        }
    }

    /// Writes `text` unbuffered.
    func write(_ text: String) {
        switch self {
        case .standardOutput:
            print(text, terminator: "")
            fflush(nil)
        case .standardError:
            fflush(nil)  // keep the order with anything printed to standard output before
            FileHandle.standardError.write(Data(text.utf8))
        case .custom(let body):
            body(text)
        }
    }
}

/// Formats and writes the progress of a training run.
struct ProgressPrinter {
    /// The style after resolving `.automatic`.
    let style: ProgressStyle
    let output: ProgressOutput
    let maxEpochs: Int
    private var lastDraw: ContinuousClock.Instant?
    private var lineIsOpen = false

    init(style: ProgressStyle, output: ProgressOutput, maxEpochs: Int) {
        switch style {
        case .automatic: self.style = output.isTerminal ? .inPlace : .perEpoch
        case .inPlace, .perEpoch, .silent: self.style = style
        }
        self.output = output
        self.maxEpochs = maxEpochs
    }

    /// Redraws the in-place line after a minibatch (throttled; the epoch's last batch always).
    mutating func batchDone(epoch: Int, batch: Int, of batchCount: Int, meanLoss: Double, examples: Int,
                            elapsed: Double) {
        guard style == .inPlace else { return }
        let now = ContinuousClock.now
        if let last = lastDraw, now - last < .milliseconds(100), batch < batchCount { return }
        lastDraw = now
        let speed = elapsed > 0 ? Double(examples) / elapsed : 0
        let eta = batch > 0 ? elapsed / Double(batch) * Double(batchCount - batch) : 0
        output.write("\r\u{1B}[K" + "epoch \(epoch)/\(maxEpochs)  batch \(batch)/\(batchCount)  loss "
                     + Self.format(meanLoss) + "  " + String(format: "%.0f ex/s", speed)
                     + "  ETA " + Self.clock(eta))
        lineIsOpen = true
    }

    /// Writes the line that summarises a finished epoch.
    mutating func epochDone(_ record: EpochRecord, best: (score: Double, epoch: Int)?, scoreIsError: Bool) {
        guard style != .silent else { return }
        var line = "epoch \(record.epoch)/\(maxEpochs)  loss " + Self.format(record.trainLoss)
        if let loss = record.validationLoss { line += "  val loss " + Self.format(loss) }
        if let error = record.validationError { line += "  val error " + Self.percent(error) }
        if let best {
            line += "  (best " + (scoreIsError ? Self.percent(best.score) : Self.format(best.score))
                + " @ \(best.epoch))"
        }
        let speed = record.seconds > 0 ? Double(record.examples) / record.seconds : 0
        line += String(format: "  %.1f s  %.0f ex/s", record.seconds, speed)
        output.write((lineIsOpen ? "\r\u{1B}[K" : "") + line + "\n")
        lineIsOpen = false
        lastDraw = nil
    }

    /// Writes a final line (why training stopped, the best score).
    mutating func finish(_ history: TrainingHistory) {
        guard style != .silent else { return }
        var line = "stopped: \(history.stopReason.rawValue) after \(history.epochs.count) epochs, "
            + String(format: "%.1f s", history.seconds)
        if let score = history.bestValidationScore, let epoch = history.bestEpoch {
            line += ", best validation score " + Self.format(score) + " at epoch \(epoch)"
            if history.restoredBest { line += " (parameters restored)" }
        }
        output.write(line + "\n")
    }

    /// A loss with four significant decimals.
    static func format(_ value: Double) -> String { String(format: "%.4f", value) }

    /// An error rate as a percentage.
    static func percent(_ value: Double) -> String { String(format: "%.3f %%", value * 100) }

    /// Seconds as `m:ss` (or `h:mm:ss`).
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}
