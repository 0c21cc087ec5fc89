import Foundation
import HypatiaNN
import HypatiaTestSupport
import Testing

/// Direct float64 convolution (N,C,H,W) * (O,C,kh,kw), flipped filters, zero padding.
func referenceConv(_ x: RefArray, _ w: RefArray, pad: (Int, Int), stride: (Int, Int), flip: Bool) -> RefArray {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let oh = (h + 2 * pad.0 - kh) / stride.0 + 1, ow = (wd + 2 * pad.1 - kw) / stride.1 + 1
    var out = [Double](repeating: 0, count: n * o * oh * ow)
    for b in 0..<n { for f in 0..<o { for i in 0..<oh { for j in 0..<ow {
        var acc = 0.0
        for ch in 0..<c { for u in 0..<kh { for v in 0..<kw {
            let r = i * stride.0 + u - pad.0, s = j * stride.1 + v - pad.1
            guard r >= 0, r < h, s >= 0, s < wd else { continue }
            let (fu, fv) = flip ? (kh - 1 - u, kw - 1 - v) : (u, v)
            acc += x.values[((b * c + ch) * h + r) * wd + s] * w.values[((f * c + ch) * kh + fu) * kw + fv]
        } } }
        out[((b * o + f) * oh + i) * ow + j] = acc
    } } } }
    return RefArray(shape: [n, o, oh, ow], values: out)
}

/// Direct float64 pooling over the last two axes with ignoreBorder semantics and padding.
func referencePool(_ x: RefArray, window: (Int, Int), stride: (Int, Int), pad: (Int, Int),
                   mode: Pool2DLayer.Mode) -> RefArray {
    let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
    let oh = (h + 2 * pad.0 - window.0) / stride.0 + 1, ow = (w + 2 * pad.1 - window.1) / stride.1 + 1
    var out: [Double] = []
    for p in 0..<planes { for i in 0..<oh { for j in 0..<ow {
        var real: [Double] = []
        for u in 0..<window.0 { for v in 0..<window.1 {
            let r = i * stride.0 + u - pad.0, s = j * stride.1 + v - pad.1
            if r >= 0, r < h, s >= 0, s < w { real.append(x.values[(p * h + r) * w + s]) }
        } }
        switch mode {
        case .max: out.append(real.max()!)
        case .averageIncludingPadding: out.append(real.reduce(0, +) / Double(window.0 * window.1))
        case .averageExcludingPadding: out.append(real.reduce(0, +) / Double(real.count))
        }
    } } }
    return RefArray(shape: [x.shape[0], x.shape[1], oh, ow], values: out)
}

@Suite struct LayerValueTests {
    @Test func denseFlattensImagesAndMatchesReference() throws {
        let input = InputLayer(shape: [nil, 2, 3, 2])
        let dense = DenseLayer(input, units: 4, b: .value(try Tensor(shape: [4], scalars: [0.1, -0.2, 0.3, 0] as [Float])),
                               nonlinearity: .tanh)
        let (x, xr) = randomInput([3, 2, 3, 2], seed: 2)
        let y = try evaluate(dense, input: input, x)
        let flat = RefArray(shape: [3, 12], values: xr.values)
        let b = try reference(dense.b)
        let expected = RefArray.broadcasting([flat.matmul(try reference(dense.W)), b]) { Foundation.tanh($0[0] + $0[1]) }
        expectClose(y, expected)
    }

    @Test(arguments: [(ConvPadding.valid, (1, 1), true), (.full, (1, 1), true), (.same, (1, 1), false),
                      (.explicit(1, 2), (2, 1), true)])
    func convMatchesDirectLoop(pad: ConvPadding, stride: (Int, Int), flip: Bool) throws {
        let input = InputLayer(shape: [nil, 2, 5, 4])
        let conv = Conv2DLayer(input, filters: 3, filterSize: (3, 3), stride: stride, pad: pad,
                               b: .value(try Tensor(shape: [3], scalars: [0.5, 0, -0.5] as [Float])),
                               nonlinearity: .linear, flipFilters: flip)
        let (x, xr) = randomInput([2, 2, 5, 4], seed: 3)
        let y = try evaluate(conv, input: input, x)
        let padding: (Int, Int) = switch pad {
        case .valid: (0, 0)
        case .full: (2, 2)
        case .same: (1, 1)
        case .explicit(let r, let c): (r, c)
        }
        let conved = referenceConv(xr, try reference(conv.W), pad: padding, stride: stride, flip: flip)
        let bias = RefArray(shape: [1, 3, 1, 1], values: [0.5, 0, -0.5])
        expectClose(y, RefArray.broadcasting([conved, bias]) { $0[0] + $0[1] }, rtol: 1e-4, atol: 1e-5)
    }

    @Test func convWithUntiedBiasesAddsOneBiasPerPosition() throws {
        let input = InputLayer(shape: [nil, 1, 4, 4])
        let conv = Conv2DLayer(input, filters: 2, filterSize: (3, 3), b: .uniform(range: 1), nonlinearity: .linear,
                               untieBiases: true)
        #expect(allParameters(of: conv).map(\.value.shape) == [[2, 1, 3, 3], [2, 2, 2]])
        let (x, xr) = randomInput([2, 1, 4, 4], seed: 8)
        let conved = referenceConv(xr, try reference(conv.W), pad: (0, 0), stride: (1, 1), flip: true)
        let bias = try reference(conv.b).reshapedForTest([1, 2, 2, 2])
        expectClose(try evaluate(conv, input: input, x), RefArray.broadcasting([conved, bias]) { $0[0] + $0[1] },
                    rtol: 1e-4)
    }

    @Test(arguments: [Pool2DLayer.Mode.max, .averageIncludingPadding, .averageExcludingPadding])
    func poolMatchesDirectLoop(mode: Pool2DLayer.Mode) throws {
        let input = InputLayer(shape: [nil, 2, 5, 6])
        let pool = Pool2DLayer(input, poolSize: (3, 2), stride: (2, 2), pad: (1, 1), mode: mode)
        let (x, xr) = randomInput([2, 2, 5, 6], seed: 4)
        let y = try evaluate(pool, input: input, x)
        expectClose(y, referencePool(xr, window: (3, 2), stride: (2, 2), pad: (1, 1), mode: mode))
    }

    @Test func globalPoolMeanAndMax() throws {
        let input = InputLayer(shape: [nil, 3, 2, 2])
        let (x, xr) = randomInput([2, 3, 2, 2], seed: 5)
        let mean = try evaluate(GlobalPoolLayer(input), input: input, x)
        let max = try evaluate(GlobalPoolLayer(input, mode: .max), input: input, x)
        let groups = stride(from: 0, to: 24, by: 4).map { Array(xr.values[$0..<($0 + 4)]) }
        expectClose(mean, RefArray(shape: [2, 3], values: groups.map { $0.reduce(0, +) / 4 }))
        expectClose(max, RefArray(shape: [2, 3], values: groups.map { $0.max()! }))
    }

    @Test func shapeAndMergeLayersMatchReferences() throws {
        let input = InputLayer(shape: [nil, 2, 3])
        let (x, xr) = randomInput([2, 2, 3], seed: 6)
        let shuffled = DimshuffleLayer(input, pattern: [2, 0, "x", 1])
        expectClose(try evaluate(shuffled, input: input, x), xr.transposed([2, 0, 1]).reshapedForTest([3, 2, 1, 2]))
        let reshaped = ReshapeLayer(input, shape: [3, .input(0), -1])
        expectClose(try evaluate(reshaped, input: input, x), xr.reshapedForTest([3, 2, 2]))
        let concat = ConcatLayer([input, input], axis: -1)
        let concatValues = stride(from: 0, to: 12, by: 3).flatMap { Array(xr.values[$0..<($0 + 3)]) + xr.values[$0..<($0 + 3)] }
        expectClose(try evaluate(concat, input: input, x), RefArray(shape: [2, 2, 6], values: concatValues))
        let sum = ElemwiseSumLayer([input, input, input], coefficients: [1, 0.5, -2])
        expectClose(try evaluate(sum, input: input, x), xr.map { -0.5 * $0 })
    }

    @Test func preluUsesOneSlopePerChannel() throws {
        let input = InputLayer(shape: [nil, 2, 3])
        let prelu = PReLULayer(input, alpha: .value(try Tensor(shape: [2], scalars: [0.25, -1] as [Float])))
        #expect(allParameters(of: prelu, regularizable: false).count == 1)
        let (x, xr) = randomInput([2, 2, 3], seed: 7)
        let expected = RefArray(shape: xr.shape, values: xr.values.enumerated().map { i, v in
            v > 0 ? v : v * ((i / 3) % 2 == 0 ? 0.25 : -1)
        })
        expectClose(try evaluate(prelu, input: input, x), expected)
    }
}

extension RefArray {
    /// The same values with a new shape.
    func reshapedForTest(_ shape: [Int]) -> RefArray { RefArray(shape: shape, values: values) }
}

