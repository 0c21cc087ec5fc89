import Hypatia

/// The W2 inputs and initial parameters of one batch size.
struct MLPData: Sendable {
    let batch: Int
    let x: Tensor
    let y: Tensor
    let W1: Tensor
    let b1: Tensor
    let W2: Tensor
    let b2: Tensor
    /// The float64 loss of the first step from `expected.json`.
    let expectedLoss: Double

    /// Loads `w2_b<batch>_{x,y,W1,b1,W2,b2}.npy` and checks their dtypes and shapes.
    init(batch: Int, from data: BenchData) throws {
        self.batch = batch
        let prefix = "w2_b\(batch)_"
        x = try data.npy(prefix + "x")
        y = try data.npy(prefix + "y")
        W1 = try data.npy(prefix + "W1")
        b1 = try data.npy(prefix + "b1")
        W2 = try data.npy(prefix + "W2")
        b2 = try data.npy(prefix + "b2")
        expectedLoss = try data.expected("w2_b\(batch)_loss0")
        try checkTypes([x, y, W1, b1, W2, b2], [Tensor(zeros: [batch, 784]), Tensor(zeros: [batch], dtype: .int32),
                                                 Tensor(zeros: [784, 500]), Tensor(zeros: [500]), Tensor(zeros: [500, 10]),
                                                 Tensor(zeros: [10])], files: prefix + "*.npy")
    }
}

/// A compiled W2 training step and its call arguments.
struct MLPStep {
    let train: BenchFunction
    let arguments: [Tensor]

    /// Builds the W2 graph exactly like the PyTensor peer (`peers/w2.py`): shared parameters,
    /// `h = tanh(x @ W1 + b1)`, `loss = -mean(log_softmax(h @ W2 + b2)[arange(n), y])`, and
    /// the updates `p ← p - 0.01 · ∂loss/∂p` for all four parameters; then compiles it.
    init(_ data: MLPData, backend: BenchBackend = .default, threads: Int = 1) throws {
        let W1 = shared(data.W1, name: "W1"), b1 = shared(data.b1, name: "b1")
        let W2 = shared(data.W2, name: "W2"), b2 = shared(data.b2, name: "b2")
        let x = matrix("x", shape: [nil, 784])
        let y = vector("y", dtype: .int32)
        let h = tanh(dot(x, W1) + b1)
        train = try sgdStep(x: x, y: y, logits: dot(h, W2) + b2, params: [W1, b1, W2, b2], name: "w2_train",
                            backend: backend, threads: threads)
        arguments = [data.x, data.y]
    }

    /// One training step; returns the loss (before the update).
    func step() throws -> Double {
        try train.call(arguments)[0].scalar
    }
}

/// The compiled training step of W2, W3 and W5: the loss `-mean(log_softmax(logits)[arange(n),
/// y])` as its output and the updates `p ← p - 0.01 · ∂loss/∂p` of every parameter.
func sgdStep(x: Variable, y: Variable, logits: Variable, params: [SharedVariable], name: String,
             backend: BenchBackend, threads: Int) throws -> BenchFunction {
    let logp = logSoftmax(logits, axis: 1)
    let loss = -logp[arange(y.shape[0]), y].mean()
    let grads = grad(loss, wrt: params)
    let learningRate = 0.01
    return try BenchFunction(inputs: [x, y], outputs: [loss],
                             updates: zip(params, grads).map { p, g in (p, p - learningRate * g) },
                             name: name, backend: backend, threads: threads)
}

/// Throws unless `loss` is within 1e-4 relative of the float64 first-step loss.
func checkFirstLoss(_ loss: Double, _ data: MLPData) throws {
    try checkFirstLoss(loss, expected: data.expectedLoss, workload: "W2 b\(data.batch)")
}

/// Throws unless `loss` is within 1e-4 relative of `expected` (expected.json's float64 loss).
func checkFirstLoss(_ loss: Double, expected: Double, workload: String) throws {
    let relative = Swift.abs(loss - expected) / Swift.abs(expected)
    guard relative <= 1e-4 else {
        throw BenchFailure("\(workload): first loss \(loss) differs from expected.json's \(expected) by "
                           + "\(relative) relative (> 1e-4): wrong result")
    }
}

/// Throws unless `found` have the dtypes and shapes of `wanted` (the data files' check).
func checkTypes(_ found: [Tensor], _ wanted: [Tensor], files: String) throws {
    let have = found.map { "\($0.dtype)\($0.shape)" }, want = wanted.map { "\($0.dtype)\($0.shape)" }
    guard have == want else { throw BenchFailure("\(files) have types \(have), expected \(want)") }
}
