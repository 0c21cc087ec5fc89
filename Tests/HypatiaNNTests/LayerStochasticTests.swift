import HypatiaNN
import HypatiaTestSupport
import Testing

@Suite struct LayerStochasticTests {
    @Test func dropoutZeroesAboutPAndRescalesInTrainingOnly() throws {
        let input = InputLayer(shape: [nil, 100])
        let dropout = DropoutLayer(input, p: 0.3, seed: 11)
        let ones = Tensor(ones: [100, 100])
        #expect(try evaluate(dropout, input: input, ones, deterministic: true) == ones)
        let train = try function(inputs: [input.input], outputs: [getOutput(dropout)])
        let first = try train(ones)[0].scalars
        let zeros = Double(first.filter { $0 == 0 }.count) / Double(first.count)
        #expect(abs(zeros - 0.3) < 0.03)
        #expect(first.allSatisfy { $0 == 0 || abs($0 - 1 / 0.7) < 1e-6 })
        #expect(try train(ones)[0].scalars != first, "each call draws a new mask")
        // The same seed gives the same first mask.
        let again = DropoutLayer(input, p: 0.3, seed: 11)
        #expect(try evaluate(again, input: input, ones, deterministic: false).scalars == first)
        let unscaled = DropoutLayer(input, p: 0.3, rescale: false, seed: 11)
        #expect(try evaluate(unscaled, input: input, ones, deterministic: false).scalars.allSatisfy { $0 == 0 || $0 == 1 })
    }

    @Test func gaussianNoiseHasSigmaInTrainingOnly() throws {
        let input = InputLayer(shape: [nil, 100])
        let noise = GaussianNoiseLayer(input, sigma: 0.5, seed: 12)
        let (x, _) = randomInput([100, 100], seed: 13)
        #expect(try evaluate(noise, input: input, x, deterministic: true) == x)
        let noisy = try evaluate(noise, input: input, x, deterministic: false).scalars
        let differences = zip(noisy, x.scalars).map { $0 - $1 }
        let (mean, variance) = moments(differences)
        let std = variance.squareRoot()
        #expect(abs(mean) < 0.02)
        #expect(abs(std - 0.5) < 0.02)
    }
}

@Suite struct BatchNormLayerTests {
    /// Per-channel mean and biased variance of an (N, C, H, W) reference.
    func channelStatistics(_ x: RefArray) -> [(mean: Double, variance: Double)] {
        let (n, c, hw) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        return (0..<c).map { (ch: Int) -> (mean: Double, variance: Double) in
            var values: [Double] = []
            for b in 0..<n {
                let start: Int = (b * c + ch) * hw
                values += x.values[start..<(start + hw)]
            }
            return moments(values)
        }
    }

    /// (x - mean_c) · scale_c for each channel c.
    func normalized(_ x: RefArray, _ stats: [(shift: Double, scale: Double)]) -> RefArray {
        let (c, hw) = (x.shape[1], x.shape[2] * x.shape[3])
        return RefArray(shape: x.shape, values: x.values.enumerated().map { i, v in
            let s = stats[(i / hw) % c]
            return (v - s.shift) * s.scale
        })
    }

    @Test func trainingUsesBatchStatisticsAndMovesRunningAverages() throws {
        let input = InputLayer(shape: [nil, 3, 2, 2])
        let bn = BatchNormLayer(input, alpha: 0.1)
        #expect(allParameters(of: bn).count == 4)
        #expect(allParameters(of: bn, trainable: true).map(\.name) == ["beta", "gamma"])
        let train = try function(inputs: [input.input], outputs: [getOutput(bn)])
        let test = try function(inputs: [input.input], outputs: [getOutput(bn, deterministic: true)])
        let (x, xr) = randomInput([4, 3, 2, 2], seed: 14)
        let stats = channelStatistics(xr)
        // Deterministic calls use the initial averages (mean 0, invStd 1) and change nothing.
        expectClose(try test(x)[0], xr)
        expectClose(try test(x)[0], xr)
        let batchInvStd = stats.map { 1 / ($0.variance + 1e-4).squareRoot() }
        expectClose(try train(x)[0], normalized(xr, zip(stats, batchInvStd).map { ($0.mean, $1) }), rtol: 1e-4)
        let runningMean = stats.map { 0.1 * $0.mean }
        let runningInvStd = batchInvStd.map { 0.9 + 0.1 * $0 }
        expectClose(bn.mean!.value, RefArray(shape: [3], values: runningMean))
        expectClose(bn.invStd!.value, RefArray(shape: [3], values: runningInvStd), rtol: 1e-4)
        expectClose(try test(x)[0], normalized(xr, Array(zip(runningMean, runningInvStd))), rtol: 1e-4)
        expectClose(bn.mean!.value, RefArray(shape: [3], values: runningMean))
    }

    @Test func denseBatchNormNormalizesEachUnitOverTheBatch() throws {
        let input = InputLayer(shape: [nil, 4])
        let bn = BatchNormLayer(input, beta: .value(Tensor(repeating: 2, shape: [4])))
        #expect(bn.axes == [0])
        let (x, _) = randomInput([16, 4], seed: 15)
        let y = try evaluate(bn, input: input, x, deterministic: false)
        for unit in 0..<4 {
            let column = (0..<16).map { y.scalars[$0 * 4 + unit] }
            #expect(abs(column.reduce(0, +) / 16 - 2) < 1e-4)
        }
    }

    @Test func averagesCanBeFrozenOrUsedInTraining() throws {
        let input = InputLayer(shape: [nil, 3])
        let bn = BatchNormLayer(input)
        bn.updateAverages = false
        let (x, xr) = randomInput([5, 3], seed: 16)
        _ = try evaluate(bn, input: input, x, deterministic: false)
        #expect(bn.mean!.value == Tensor(zeros: [3]))
        bn.useAverages = true
        bn.updateAverages = nil
        expectClose(try evaluate(bn, input: input, x, deterministic: false), xr, rtol: 1e-4)
        #expect(bn.mean!.value != Tensor(zeros: [3]), "training still moves the averages")
    }
}
