import Testing
import TensorRuntime
@testable import HypatiaData

@Suite("gunzip")
struct GzipTests {
    @Test(arguments: [0, 1, 1000, 300_000])
    func roundTrips(_ size: Int) throws {
        let data = randomBytes(size, seed: UInt64(size))
        #expect(try gunzip(gzip(data)) == data)
        let zeros = [UInt8](repeating: 0, count: size)
        #expect(try gunzip(gzip(zeros)) == zeros)
    }

    @Test func concatenatedMembersAreJoined() throws {
        let a = randomBytes(500, seed: 1), b = randomBytes(700, seed: 2)
        #expect(try gunzip(gzip(a) + gzip(b)) == a + b)
    }

    @Test func everyTruncationThrowsTruncated() {
        let stream = gzip(randomBytes(200, seed: 3))
        for length in 0..<stream.count {
            expectDataError([.truncated]) { _ = try gunzip(Array(stream[..<length])) }
        }
    }

    @Test func corruptStreamsThrowFormat() {
        let data = randomBytes(300, seed: 4)
        let stream = gzip(data)
        var badMethod = stream
        badMethod[2] = 9
        expectDataError([.format]) { _ = try gunzip(badMethod) }
        var badCRC = stream
        badCRC[stream.count - 6] ^= 0xFF
        expectDataError([.format]) { _ = try gunzip(badCRC) }
        var badLength = stream
        badLength[stream.count - 1] ^= 0xFF
        expectDataError([.format]) { _ = try gunzip(badLength) }
        expectDataError([.format]) { _ = try gunzip(Array("not gzip at all".utf8)) }
        expectDataError([.format]) { _ = try gunzip(stream + [1, 2, 3]) }
    }

    @Test func randomByteFlipsNeverCrash() {
        let stream = gzip(randomBytes(400, seed: 5))
        var g = RandomGenerator(seed: 6)
        for _ in 0..<2000 {
            var bytes = stream
            bytes[Int(g.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: g.next32())
            do { _ = try gunzip(bytes) } catch is DataError {} catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }
}
