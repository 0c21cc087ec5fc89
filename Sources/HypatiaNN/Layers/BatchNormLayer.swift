/// Batch normalization (Lasagne's `BatchNormLayer`, Ioffe & Szegedy 2015):
/// `(x - mean) · gamma · invStd + beta`, statistics taken over `axes`.
///
/// In training (`deterministic: false`) the batch's mean and `1 / sqrt(variance + epsilon)`
/// (biased variance) normalize the input, and every call of a compiled function that computes
/// the output also moves the running averages: `mean ← (1 - alpha)·mean + alpha·batchMean`,
/// likewise `invStd` (default updates, as in Lasagne: no `updates:` entry needed). Deterministic
/// outputs use the running averages and change nothing.
///
/// Parameters (shape: the input's extents on the axes not normalized, e.g. `[channels]`):
/// `beta` (trainable), `gamma` (trainable, regularizable as in Lasagne), `mean` and `invStd`
/// (neither: changed only by the default updates).
public final class BatchNormLayer: Layer {
    public let name: String?
    public let inputLayers: [any Layer]
    public let outputShape: [Int?]
    /// This layer's own parameters (see `Layer.parameters`).
    public private(set) var parameters: [LayerParameter] = []
    /// The normalized axes (default: all but axis 1, the channels or units).
    public let axes: [Int]
    /// Added to the variance before the square root.
    public let epsilon: Double
    /// The weight of the batch statistics in each running-average step.
    public let alpha: Double
    /// The shift (nil when left out or for an invalid configuration).
    public private(set) var beta: Variable?
    /// The scale (nil when left out or for an invalid configuration).
    public private(set) var gamma: Variable?
    /// The running mean (nil for an invalid configuration).
    public private(set) var mean: SharedVariable?
    /// The running inverse standard deviation.
    public private(set) var invStd: SharedVariable?
    /// Overrides whether outputs normalize with the running averages (nil: when
    /// deterministic; Lasagne's `batch_norm_use_averages`).
    public var useAverages: Bool?
    /// Overrides whether outputs move the running averages (nil: when not deterministic;
    /// Lasagne's `batch_norm_update_averages`), e.g. false to fine-tune with frozen averages.
    public var updateAverages: Bool?
    /// Why the layer cannot compute, if its configuration is invalid.
    public private(set) var error: GraphError?
    /// Where the layer was created (the line its errors name).
    let location: SourceLocation

    /// Batch normalization of `incoming` over `axes` (nil: every axis but 1); the extents of
    /// the other axes must be known. `beta: nil` / `gamma: nil` leave out the shift / scale.
    public init(_ incoming: any Layer, axes: [Int]? = nil, epsilon: Double = 1e-4, alpha: Double = 0.1,
                beta: ParameterSpec? = .constant(0), gamma: ParameterSpec? = .constant(1),
                mean: ParameterSpec = .constant(0), invStd: ParameterSpec = .constant(1), name: String? = nil,
                file: String = #fileID, line: Int = #line) {
        let loc = here(file, line)
        location = loc
        let shape = incoming.outputShape
        self.name = name
        inputLayers = [incoming]
        outputShape = shape
        self.axes = (axes ?? [0] + Array(2..<Swift.max(shape.count, 2))).map { $0 < 0 ? $0 + shape.count : $0 }
        self.epsilon = epsilon
        self.alpha = alpha
        do throws(GraphError) {
            let parameterShape = try statisticsShape(shape)
            func make(_ spec: ParameterSpec, _ suffix: String) throws(GraphError) -> Variable {
                try spec.make(shape: parameterShape, name: parameterName(name, suffix), layer: "BatchNormLayer", at: loc)
            }
            if let beta { self.beta = try make(beta, "beta") }
            if let gamma { self.gamma = try make(gamma, "gamma") }
            self.mean = try runningStatistic(make(mean, "mean"), "mean")
            self.invStd = try runningStatistic(make(invStd, "invStd"), "invStd")
            parameters = [self.beta.map { LayerParameter($0, tags: [.trainable]) },
                          self.gamma.map { LayerParameter($0, tags: [.trainable, .regularizable]) },
                          self.mean.map { LayerParameter($0, tags: []) },
                          self.invStd.map { LayerParameter($0, tags: []) }].compactMap { $0 }
        } catch {
            self.error = error.located(at: loc)
        }
    }

    /// The extents of the axes not normalized; throws for invalid axes or unknown extents.
    private func statisticsShape(_ shape: [Int?]) throws(GraphError) -> [Int] {
        guard Set(axes).count == axes.count, axes.allSatisfy({ $0 >= 0 && $0 < shape.count }) else {
            throw GraphError(.argument, op: "BatchNormLayer", "axes \(axes) are invalid for input shape \(shape)")
        }
        var result: [Int] = []
        for (axis, extent) in shape.enumerated() where !axes.contains(axis) {
            guard let extent else {
                throw GraphError(.shape, op: "BatchNormLayer", "axis \(axis) is not normalized, so its extent must "
                                 + "be known; got shape \(shape)")
            }
            result.append(extent)
        }
        return result
    }

    /// A running statistic must be a shared variable (its default update moves it).
    private func runningStatistic(_ variable: Variable, _ what: String) throws(GraphError) -> SharedVariable {
        guard let shared = variable as? SharedVariable else {
            throw GraphError(.argument, op: "BatchNormLayer", "the running \(what) must be a shared variable, "
                             + "got an expression")
        }
        return shared
    }

    public func output(for inputs: [Variable], deterministic: Bool) -> Variable {
        guard let mean, let invStd, error == nil else { return failedOutput(error!, like: inputs) }
        let x = inputs[0]
        let useAverages = self.useAverages ?? deterministic
        let updateAverages = self.updateAverages ?? !deterministic
        var (useMean, useInvStd): (Variable, Variable) = (mean, invStd)
        if !useAverages || updateAverages {
            let batchMean = x.mean(axes: axes, file: location.fileID, line: location.line)
            let batchInvStd = 1.0 / sqrt(x.variance(axes: axes, file: location.fileID, line: location.line) + epsilon)
            if !useAverages { (useMean, useInvStd) = (batchMean, batchInvStd) }
            if updateAverages {
                let alpha = alpha
                let runningMean = mean.alias { (1 - alpha) * $0 + alpha * batchMean }
                let runningInvStd = invStd.alias { (1 - alpha) * $0 + alpha * batchInvStd }
                // Zero terms make the running averages part of the graph, so their updates apply.
                useMean = useMean + 0 * runningMean
                useInvStd = useInvStd + 0 * runningInvStd
            }
        }
        let scale = gamma.map { broadcast($0, x.rank) * broadcast(useInvStd, x.rank) } ?? broadcast(useInvStd, x.rank)
        let normalized = (x - broadcast(useMean, x.rank)) * scale
        return beta.map { normalized + broadcast($0, x.rank) } ?? normalized
    }

    /// A statistic-shaped variable with size-1 axes inserted at the normalized axes.
    private func broadcast(_ v: Variable, _ rank: Int) -> Variable {
        expand(v, rank: rank, newAxes: axes)
    }
}
