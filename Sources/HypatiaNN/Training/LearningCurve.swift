import Foundation

/// A learning-curve plot of a training run, written as a standalone SVG file.
///
/// Losses (training, and validation when measured) are drawn against the left y-axis, the
/// validation error in percent against the right y-axis, both over the epochs; the best epoch
/// is marked with a dashed vertical line. Each point is a `<circle>` carrying
/// `data-series`, `data-epoch` and `data-value` attributes and a tooltip. Non-finite values
/// (a diverged loss) are left out.
public struct LearningCurve: Sendable {
    /// One plotted line.
    public struct Series: Sendable, Equatable {
        /// Legend text.
        public var name: String
        /// (epoch, value) pairs; errors are fractions (0.075 is drawn as 7.5 %).
        public var points: [Point]
        /// Whether the series uses the right (error, percent) axis.
        public var isError: Bool
        /// SVG color.
        public var color: String

        /// A series from its fields.
        public init(name: String, points: [Point], isError: Bool, color: String) {
            self.name = name
            self.points = points
            self.isError = isError
            self.color = color
        }
    }

    /// One point of a series.
    public struct Point: Sendable, Equatable {
        /// The epoch (x).
        public var epoch: Double
        /// The value (y).
        public var value: Double

        /// A point from its coordinates.
        public init(epoch: Double, value: Double) {
            self.epoch = epoch
            self.value = value
        }
    }

    /// The title above the plot.
    public var title: String
    /// The lines to draw.
    public var series: [Series]
    /// The epoch to mark as best, if any.
    public var bestEpoch: Int?
    /// Width of the picture in pixels.
    public var width: Double = 760
    /// Height of the picture in pixels.
    public var height: Double = 440

    /// A plot of `series` (use `init(_:title:)` for a training history).
    public init(title: String, series: [Series], bestEpoch: Int? = nil) {
        self.title = title
        self.series = series
        self.bestEpoch = bestEpoch
    }

    /// The learning curve of a training run: training loss, validation loss (if measured) and
    /// validation error (if measured).
    public init(_ history: TrainingHistory, title: String = "Learning curve") {
        func points(_ values: [Double?]) -> [Point] {
            zip(history.epochs, values).compactMap { record, value in
                value.flatMap { $0.isFinite ? Point(epoch: Double(record.epoch), value: $0) : nil }
            }
        }
        var series = [Series(name: "training loss", points: points(history.trainLosses), isError: false,
                             color: "#1f77b4")]
        let validationLosses = points(history.validationLosses)
        if !validationLosses.isEmpty {
            series.append(Series(name: "validation loss", points: validationLosses, isError: false, color: "#2ca02c"))
        }
        let validationErrors = points(history.validationErrors)
        if !validationErrors.isEmpty {
            series.append(Series(name: "validation error", points: validationErrors, isError: true, color: "#d62728"))
        }
        self.init(title: title, series: series, bestEpoch: history.bestEpoch)
    }

    /// Writes `svg()` to `path`; throws `DataError(.io)` when the file cannot be written.
    public func write(to path: String) throws {
        do {
            try Data(svg().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw DataError(.io, "cannot write the learning curve: \(error.localizedDescription)", path: path)
        }
    }
}

/// A linear axis: its domain rounded out to tick positions, and the ticks.
struct AxisScale: Equatable {
    var low: Double
    var high: Double
    var ticks: [Double]
    /// Decimal places that tell the ticks apart.
    var decimals: Int

    /// A scale covering `values` with about `target` "nice" ticks (1, 2 or 5 times a power of
    /// ten apart); `integral` keeps steps at whole numbers (epochs). No values gives `[0, 1]`.
    init(covering values: [Double], target: Int = 5, integral: Bool = false) {
        var low = values.min() ?? 0, high = values.max() ?? 1
        if high <= low {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        var step = Self.niceStep((high - low) / Double(max(target, 1)))
        if integral { step = max(1, step.rounded()) }
        let first = (low / step).rounded(.down), last = (high / step).rounded(.up)
        ticks = stride(from: first, through: last, by: 1).map { $0 * step }
        self.low = ticks.first ?? low
        self.high = ticks.last ?? high
        decimals = max(0, Int((-log10(step)).rounded(.up)))
    }

    /// 1, 2, 5 or 10 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        let power = pow(10, log10(raw).rounded(.down))
        for factor in [1.0, 2, 5] where raw <= factor * power * (1 + 1e-9) { return factor * power }
        return 10 * power
    }

    /// Where `value` falls between the pixel positions `start` (at `low`) and `end` (at `high`).
    func position(_ value: Double, from start: Double, to end: Double) -> Double {
        start + (value - low) / (high - low) * (end - start)
    }

    /// A tick label.
    func label(_ value: Double) -> String {
        String(format: "%.\(decimals)f", abs(value) < 1e-12 ? 0 : value)
    }
}
