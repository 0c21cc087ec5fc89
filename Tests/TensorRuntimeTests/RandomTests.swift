import Testing
@testable import TensorRuntime

@Suite("Random generator")
struct RandomTests {
    /// Random123's known-answer vectors for Philox4x32-10.
    @Test func philoxMatchesKnownAnswers() {
        let zero = RandomGenerator.philox(counter: (0, 0, 0, 0), key: (0, 0))
        #expect([zero.0, zero.1, zero.2, zero.3] == [0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8])
        let ones = RandomGenerator.philox(counter: (.max, .max, .max, .max), key: (.max, .max))
        #expect([ones.0, ones.1, ones.2, ones.3] == [0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD])
        let pi = RandomGenerator.philox(counter: (0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344),
                                        key: (0xA409_3822, 0x299F_31D0))
        #expect([pi.0, pi.1, pi.2, pi.3] == [0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1])
    }

    @Test func sameSeedSameTensors() {
        var g1 = RandomGenerator(seed: 42)
        var g2 = RandomGenerator(seed: 42)
        let a = Tensor(randomUniform: [3, 4], in: -1...1, generator: &g1)
        let b = Tensor(randomUniform: [3, 4], in: -1...1, generator: &g2)
        #expect(a == b)
        #expect(g1 == g2)
        let c = Tensor(randomNormal: [5], mean: 0, stddev: 1, dtype: .float64, generator: &g1)
        let d = Tensor(randomNormal: [5], mean: 0, stddev: 1, dtype: .float64, generator: &g2)
        #expect(c == d)
        #expect(c != Tensor(randomNormal: [5], dtype: .float64, generator: &g1))
    }

    @Test func seedsAndStreamsDiffer() {
        var a = RandomGenerator(seed: 1)
        var b = RandomGenerator(seed: 2)
        var c = RandomGenerator(seed: 1, stream: 1)
        let x = (0..<8).map { _ in a.next() }
        #expect(x != (0..<8).map { _ in b.next() })
        #expect(x != (0..<8).map { _ in c.next() })
        var shuffled = Array(0..<20)
        var s1 = RandomGenerator(seed: 5)
        shuffled.shuffle(using: &s1)
        var again = Array(0..<20)
        var s2 = RandomGenerator(seed: 5)
        again.shuffle(using: &s2)
        #expect(shuffled == again && shuffled != Array(0..<20))
    }

    static func moments(_ t: Tensor) -> (mean: Double, std: Double) {
        let v = t.scalars
        let mean = v.reduce(0, +) / Double(v.count)
        let variance = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count)
        return (mean, variance.squareRoot())
    }

    @Test(arguments: [DType.float32, .float64])
    func uniformMoments(_ dtype: DType) {
        var g = RandomGenerator(seed: 7)
        let t = Tensor(randomUniform: [100_000], in: 2...5, dtype: dtype, generator: &g)
        #expect(t.dtype == dtype)
        #expect(t.scalars.allSatisfy { $0 >= 2 && $0 <= 5 })
        let (mean, std) = Self.moments(t)
        #expect(abs(mean - 3.5) < 0.02)  // standard error 0.0027
        #expect(abs(std - 3 / 12.0.squareRoot()) < 0.01)
    }

    @Test(arguments: [DType.float32, .float64])
    func normalMoments(_ dtype: DType) {
        var g = RandomGenerator(seed: 11)
        let t = Tensor(randomNormal: [100_001], mean: 1, stddev: 2, dtype: dtype, generator: &g)
        let (mean, std) = Self.moments(t)
        #expect(abs(mean - 1) < 0.03)  // standard error 0.0063
        #expect(abs(std - 2) < 0.03)  // standard error 0.0045
        let within = t.scalars.filter { abs($0 - 1) < 2 }.count
        #expect(abs(Double(within) / 100_001 - 0.6827) < 0.01)
    }
}
