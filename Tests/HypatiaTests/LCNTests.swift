import Foundation
import Hypatia
import HypatiaTestSupport
import Testing

/// Local contrast normalization by direct float64 loops (Jarrett et al. 2009, zero padding).
func referenceLCN(_ x: RefArray, kernelSize k: Int, sigma: Double, threshold: Double) -> [Double] {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]), mid = k / 2
    var window = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
    for p in 0..<k { for q in 0..<k {
        window[p][q] = Foundation.exp(-Double((p - mid) * (p - mid) + (q - mid) * (q - mid)) / (2 * sigma * sigma))
    } }
    let total = window.joined().reduce(0, +)
    window = window.map { $0.map { $0 / total } }
    func at(_ b: Int, _ ch: Int, _ i: Int, _ j: Int) -> Int { ((b * c + ch) * h + i) * w + j }
    /// Σ_{c',p,q} w[p,q] / C · f(c', i+p-mid, j+q-mid), zero outside the image.
    func localMean(_ f: (Int, Int, Int) -> Double, _ i: Int, _ j: Int) -> Double {
        var s = 0.0
        for p in 0..<k { for q in 0..<k {
            let (ii, jj) = (i + p - mid, j + q - mid)
            guard ii >= 0, ii < h, jj >= 0, jj < w else { continue }
            for ch in 0..<c { s += window[p][q] / Double(c) * f(ch, ii, jj) }
        } }
        return s
    }
    var out = [Double](repeating: 0, count: x.values.count)
    for b in 0..<n {
        var v = [Double](repeating: 0, count: c * h * w)
        for ch in 0..<c { for i in 0..<h { for j in 0..<w {
            v[(ch * h + i) * w + j] = x.values[at(b, ch, i, j)] - localMean({ x.values[at(b, $0, $1, $2)] }, i, j)
        } } }
        var deviation = [Double](repeating: 0, count: h * w)
        for i in 0..<h { for j in 0..<w {
            deviation[i * w + j] = localMean({ v[($0 * h + $1) * w + $2] * v[($0 * h + $1) * w + $2] }, i, j).squareRoot()
        } }
        let meanDeviation = deviation.reduce(0, +) / Double(h * w)
        for ch in 0..<c { for i in 0..<h { for j in 0..<w {
            let divisor = Swift.max(meanDeviation, deviation[i * w + j], threshold)
            out[at(b, ch, i, j)] = v[(ch * h + i) * w + j] / divisor
        } } }
    }
    return out
}

@Suite struct LCNTests {
    /// The output matches the direct float64 loops (kernel 3 and 5, non-square images, 2 channels).
    @Test(arguments: [(3, 1.0, Mode.interpret), (5, 2.0, .interpret), (3, 1.0, .fastRun)])
    func matchesReference(_ kernelSize: Int, _ sigma: Double, _ mode: Mode) throws {
        let x = tensor4("x", dtype: .float64)
        let f = try function(inputs: [x], outputs: [localContrastNormalization(x, kernelSize: kernelSize, sigma: sigma)],
                             mode: mode)
        let xv = RandomData.uniform([2, 2, 5, 6], in: 0...1, seed: 71)
        let out = try f(xv.tensor(.float64))[0]
        #expect(out.shape == [2, 2, 5, 6])
        let expected = referenceLCN(xv, kernelSize: kernelSize, sigma: sigma, threshold: 1e-4)
        let largest = zip(out.scalars, expected).map { Swift.abs($0 - $1) }.max() ?? 0
        #expect(largest < 1e-10, "largest difference \(largest)")
        let x32 = tensor4("x32")
        let f32out = try function(inputs: [x32], outputs: [localContrastNormalization(x32, kernelSize: kernelSize,
                                                                                      sigma: sigma)], mode: mode)
        let single = try f32out(xv.tensor(.float32))[0]
        #expect(close(single.scalars, expected, tolerance: 1e-4))
    }

    /// A constant image normalizes to zero where the window lies inside the image; at the
    /// border, zero padding lowers the local mean, exactly as in the reference.
    @Test func constantImageIsZeroAwayFromTheBorder() throws {
        let x = tensor4("x")
        let f = try function(inputs: [x], outputs: [localContrastNormalization(x, kernelSize: 3)])
        let out = try f(Tensor(repeating: 0.5, shape: [1, 1, 3, 3]))[0]
        #expect(out.scalars.allSatisfy { $0.isFinite })
        #expect(Swift.abs(out.scalars[4]) < 1e-6, "center: \(out.scalars[4])")
        #expect(Swift.abs(out.scalars[0]) > 0.1, "corner: zero padding makes it positive")
        let expected = referenceLCN(RefArray(shape: [1, 1, 3, 3], values: [Double](repeating: 0.5, count: 9)),
                                    kernelSize: 3, sigma: 2, threshold: 1e-4)
        #expect(close(out.scalars, expected, tolerance: 1e-4))
    }

    /// The gradient (through conv2d, sqrt, the channel mean and both maxima) matches central
    /// differences.
    @Test func gradientMatchesCentralDifferences() throws {
        let weights = constant(RandomData.uniform([1, 2, 4, 4], in: -1...1, seed: 81).tensor(.float64))
        let point = RandomData.uniform([1, 2, 4, 4], in: 0...1, seed: 82).tensor()
        let check = try checkGradient({ p in
            (localContrastNormalization(p[0], kernelSize: 3, sigma: 1.0) * weights).sum()
        }, at: [point], tolerance: 1e-5)
        #expect(check.largestError < 1e-5)
    }

    /// An even or non-positive kernel size (or sigma) is a typed error naming the user's line.
    @Test(arguments: [(4, 1.0), (0, 1.0), (3, 0.0)])
    func invalidWindowIsTypedError(_ kernelSize: Int, _ sigma: Double) throws {
        let x = tensor4("x")
        let (y, line) = (localContrastNormalization(x, kernelSize: kernelSize, sigma: sigma), #line)
        let error = graphError { try function(inputs: [x], outputs: [y]) }
        #expect(error?.kind == .argument)
        #expect(error?.op == "localContrastNormalization")
        #expect(error?.location == at(line))
    }
}
