import Foundation
import Hypatia

/// W1: `out = tanh(a*x + b) * sigmoid(x) - exp(-x*x) * 0.5` over 2^22 float32 x uniform in
/// [-2, 2] (seeded), with a = 0.7 and b = 0.1 as float32 scalar inputs like the PyTensor peer.
/// The result is checked against a float64 reference (1e-5 absolute) before timing.
func runW1(_ config: BenchConfig, _ options: BenchOptions) throws -> Measurement {
    let n = 1 << 22
    var generator = RandomGenerator(seed: 0)
    let xValue = Tensor(randomUniform: [n], in: -2...2, dtype: .float32, generator: &generator)
    let aValue: Float = 0.7, bValue: Float = 0.1
    let x = vector("x"), a = scalar("a"), b = scalar("b")
    let out = tanh(a * x + b) * sigmoid(x) - exp(-x * x) * 0.5
    let f = try BenchFunction(inputs: [x, a, b], outputs: [out], name: "w1", backend: options.backend,
                              threads: options.threads)
    let arguments = [xValue, Tensor(aValue), Tensor(bValue)]
    let error = try w1MaxError(try f.call(arguments)[0], x: xValue, a: Double(aValue), b: Double(bValue))
    guard error <= 1e-5 else {
        throw BenchFailure("W1: result differs from the float64 reference by \(error) (> 1e-5): wrong result")
    }
    if options.profileSteps, let plan = f.planFunction { try plan.printStepProfile(arguments) }
    let samples = try bench(config) { _ = try f.call(arguments) }
    return Measurement(.w1, samples, details: ["max_abs_error": error, "elements": Double(n)])
}

/// The largest absolute difference between `result` and W1 computed in float64.
private func w1MaxError(_ result: Tensor, x: Tensor, a: Double, b: Double) throws -> Double {
    guard result.dtype == .float32, result.shape == x.shape else {
        throw BenchFailure("W1: result is \(result.dtype)\(result.shape), expected float32\(x.shape)")
    }
    return x.withUnsafeBufferPointer(as: Float.self) { xs in
        result.withUnsafeBufferPointer(as: Float.self) { out in
            var worst = 0.0
            for i in xs.indices {
                let v = Double(xs[i])
                let reference = tanh(a * v + b) / (1 + exp(-v)) - exp(-v * v) * 0.5
                let error = Swift.abs(Double(out[i]) - reference)
                worst = error.isNaN ? .infinity : Swift.max(worst, error)
            }
            return worst
        }
    }
}

/// W2: one SGD step of the MLP at `batch` (see `MLPStep`); prints the first loss next to
/// `expected.json`'s and throws if they differ by more than 1e-4 relative. Like the peers,
/// the timed steps keep training the same parameters.
func runW2(_ id: WorkloadID, batch: Int, data: BenchData, config: BenchConfig,
           _ options: BenchOptions) throws -> Measurement {
    let mlp = try MLPData(batch: batch, from: data)
    let step = try MLPStep(mlp, backend: options.backend, threads: options.threads)
    let loss0 = try step.step()
    print("  \(id.rawValue): first loss \(loss0), expected.json \(mlp.expectedLoss)")
    try checkFirstLoss(loss0, mlp)
    let train = step.train, arguments = step.arguments
    if options.profileSteps, let plan = train.planFunction { try plan.printStepProfile(arguments) }
    let samples = try bench(config) { _ = try train.call(arguments) }
    let flops = Double(2 * batch * (784 * 500 + 500 * 10) + 2 * batch * (784 * 500 + 2 * 500 * 10))
    return Measurement(id, samples, details: ["loss0": loss0, "expected_loss0": mlp.expectedLoss,
                                              "flops_per_step": flops])
}

/// Call overhead: a compiled `a + b` on 1-element float32 vectors. Each sample times a batch
/// of calls (about 1 ms, sized from the fastest of five batches of 100) so the clock's own cost
/// stays negligible; reports µs per call.
func runOverhead(_ config: BenchConfig, _ options: BenchOptions) throws -> Measurement {
    let a = vector("a"), b = vector("b")
    let f = try BenchFunction(inputs: [a, b], outputs: [a + b], name: "add", backend: options.backend,
                              threads: options.threads)
    let arguments = [Tensor([Float(1)]), Tensor([Float(2)])]
    let sum = try f.call(arguments)[0]
    guard sum.shape == [1], sum.double(at: 0) == 3 else {
        throw BenchFailure("overhead: [1] + [2] gave \(sum.scalars), expected [3.0]")
    }
    var estimate = Double.infinity
    for _ in 0..<5 {
        let start = monotonicNanoseconds()
        for _ in 0..<100 { _ = try f.call(arguments) }
        estimate = Swift.min(estimate, secondsSince(start) / 100)
    }
    let callsPerSample = Swift.max(1, Swift.min(10_000, Int(1e-3 / Swift.max(estimate, 1e-9))))
    let samples = try bench(config) {
        for _ in 0..<callsPerSample { _ = try f.call(arguments) }
    }
    return Measurement(.overhead, samples.divided(by: callsPerSample),
                       details: ["calls_per_sample": Double(callsPerSample)])
}
