import Hypatia

/// The W3 inputs and initial parameters (`w3_*.npy`, made by `make_data.py`).
struct LeNetData: Sendable {
    static let batch = 64
    let x: Tensor
    let y: Tensor
    /// c1W, c1b, c2W, c2b, f1W, f1b, f2W, f2b in that order.
    let parameters: [Tensor]
    /// The float64 loss of the first step from `expected.json`.
    let expectedLoss: Double

    static let parameterNames = ["c1W", "c1b", "c2W", "c2b", "f1W", "f1b", "f2W", "f2b"]
    static let parameterShapes = [[20, 1, 5, 5], [20], [50, 20, 5, 5], [50], [800, 500], [500], [500, 10], [10]]

    /// Loads `w3_{x,y,c1W,...}.npy` and checks their dtypes and shapes.
    init(from data: BenchData) throws {
        x = try data.npy("w3_x")
        y = try data.npy("w3_y")
        parameters = try Self.parameterNames.map { try data.npy("w3_" + $0) }
        expectedLoss = try data.expected("w3_loss0")
        try checkTypes([x, y] + parameters, [Tensor(zeros: [Self.batch, 1, 28, 28]), Tensor(zeros: [Self.batch], dtype: .int32)]
                       + Self.parameterShapes.map { Tensor(zeros: $0) }, files: "w3_*.npy")
    }
}

/// A compiled W3 training step (LeNet) and its call arguments.
struct LeNetStep {
    let train: BenchFunction
    let arguments: [Tensor]

    /// Builds the W3 graph like the peers (`peers/w3.py`): valid cross-correlations (no filter
    /// flip, like PyTorch and JAX) with a bias per channel, relu, 2x2 max pooling, dense
    /// 800→500 relu and 500→10, `loss = -mean(log_softmax(logits)[arange(n), y])`, and the
    /// updates `p ← p - 0.01 · ∂loss/∂p` for all eight parameters; then compiles it.
    init(_ data: LeNetData, backend: BenchBackend = .default, threads: Int = 1) throws {
        let p = zip(data.parameters, LeNetData.parameterNames).map { shared($0, name: $1) }
        let x = tensor4("x", shape: [nil, 1, 28, 28])
        let y = vector("y", dtype: .int32)
        func convRelu(_ h: Variable, _ w: Variable, _ b: Variable) -> Variable {
            relu(conv2d(h, w, filterFlip: false) + b.dimshuffle("x", 0, "x", "x"))
        }
        var h = maxPool2d(convRelu(x, p[0], p[1]), window: (2, 2))
        h = maxPool2d(convRelu(h, p[2], p[3]), window: (2, 2)).reshape([-1, 800])
        h = relu(dot(h, p[4]) + p[5])
        train = try sgdStep(x: x, y: y, logits: dot(h, p[6]) + p[7], params: p, name: "w3_train", backend: backend,
                            threads: threads)
        arguments = [data.x, data.y]
    }
}

/// W3: one SGD step of LeNet (see `LeNetStep`); prints the first loss next to
/// `expected.json`'s and throws if they differ by more than 1e-4 relative. Like the peers,
/// the timed steps keep training the same parameters.
func runW3(data: BenchData, config: BenchConfig, _ options: BenchOptions) throws -> Measurement {
    let lenet = try LeNetData(from: data)
    let step = try LeNetStep(lenet, backend: options.backend, threads: options.threads)
    let train = step.train, arguments = step.arguments
    let loss0 = try train.call(arguments)[0].scalar
    print("  W3: first loss \(loss0), expected.json \(lenet.expectedLoss)")
    try checkFirstLoss(loss0, expected: lenet.expectedLoss, workload: "W3")
    if options.profileSteps, let plan = train.planFunction { try plan.printStepProfile(arguments) }
    let samples = try bench(config) { _ = try train.call(arguments) }
    let b = Double(LeNetData.batch)
    let c1 = 2 * b * 20 * 24 * 24 * 25, c2 = 2 * b * 50 * 8 * 8 * 500, f1 = 2 * b * 800 * 500, f2 = 2 * b * 500 * 10
    let flops = (c1 + c2 + f1 + f2) + (c1 + 2 * c2 + 2 * f1 + 2 * f2)
    return Measurement(.w3, samples, details: ["loss0": loss0, "expected_loss0": lenet.expectedLoss,
                                               "flops_per_step": flops])
}
