import Testing
@testable import TensorRuntime

@Suite("npz archives")
struct NPZTests {
    static let tensors: [String: Tensor] = [
        "weights": NPYTests.sample(.float32, [2, 3, 4]),
        "bias": NPYTests.sample(.float64, [3]),
        "labels": NPYTests.sample(.int32, [0]),
        "step": NPYTests.sample(.int64, []),
        "mask": NPYTests.sample(.bool, [3]),
        "pixels": NPYTests.sample(.uint8, [2, 3]),
    ]

    @Test func roundTripsInSortedOrder() throws {
        let bytes = try npzData(Self.tensors)
        #expect(try readNPZ(data: bytes) == Self.tensors)
        let names = try ZipArchive.read(bytes).map(\.name)
        #expect(names == Self.tensors.keys.sorted().map { $0 + ".npy" })
        #expect(try readNPZ(data: try npzData([:])).isEmpty)
        #expect(try npzData(Self.tensors) == bytes, "writing is deterministic")
    }

    @Test func fileRoundTrip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try writeNPZ(Self.tensors, to: dir.file("t.npz"))
        #expect(try readNPZ(dir.file("t.npz")) == Self.tensors)
        expectTensorError(.io) { _ = try readNPZ(dir.file("missing.npz")) }
        expectTensorError(.io) { try writeNPZ(Self.tensors, to: dir.file("no/dir/t.npz")) }
    }

    /// A one-member zip whose member is deflated (method 8), built by hand.
    static func deflatedZip(name: String, data: [UInt8], corruptStream: Bool = false) -> [UInt8] {
        var compressed = Zlib.deflate(data, windowBits: -15)
        if corruptStream { compressed[0] = 0xFF }
        let crc = Zlib.crc32(data)
        func le(_ v: Int, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        let nameBytes = Array(name.utf8)
        let common = le(20, 2) + le(0, 2) + le(8, 2) + le(0, 4) + le(Int(crc), 4) + le(compressed.count, 4)
            + le(data.count, 4) + le(nameBytes.count, 2) + le(0, 2)
        let local = le(0x0403_4B50, 4) + common + nameBytes + compressed
        let central = le(0x0201_4B50, 4) + le(20, 2) + common + [UInt8](repeating: 0, count: 10) + le(0, 4) + nameBytes
        return local + central + le(0x0605_4B50, 4) + le(0, 4) + le(1, 2) + le(1, 2) + le(central.count, 4)
            + le(local.count, 4) + le(0, 2)
    }

    @Test func readsDeflatedMembers() throws {
        let t = NPYTests.sample(.float64, [50, 20])
        let zip = Self.deflatedZip(name: "x.npy", data: t.npyData())
        #expect(zip.count < t.npyData().count)
        #expect(try readNPZ(data: zip) == ["x": t])
        expectTensorError(.format) {
            _ = try readNPZ(data: Self.deflatedZip(name: "x.npy", data: t.npyData(), corruptStream: true))
        }
    }

    @Test func corruptArchivesThrowFormat() throws {
        let good = try npzData(["a": Tensor([Float(1), 2]), "b": Tensor([Int32(3)])])
        expectTensorError(.format) { _ = try readNPZ(data: []) }
        expectTensorError(.format) { _ = try readNPZ(data: Tensor([Float(1)]).npyData()) }
        var badCRC = good
        let centralOffset = good[(good.count - 6)...].reversed().reduce(0) { $0 << 8 | Int($1) }
        badCRC[centralOffset + 16] ^= 0xFF  // first member's CRC-32 in the central directory
        expectTensorError(.format) { _ = try readNPZ(data: badCRC) }
        var badMember = good
        badMember[30 + 5] = 0  // inside the first member's npy magic
        expectTensorError(.format) { _ = try readNPZ(data: badMember) }
        let twice = try ZipArchive.write([ZipArchive.Member(name: "a.npy", data: Tensor([Float(1)]).npyData()),
                                          ZipArchive.Member(name: "a.npy", data: Tensor([Float(2)]).npyData())])
        expectTensorError(.format) { _ = try readNPZ(data: twice) }
        for length in 0..<good.count {
            expectTensorError(.format) { _ = try readNPZ(data: Array(good[..<length])) }
        }
    }

    @Test func randomByteFlipsNeverCrash() throws {
        let good = try npzData(["a": NPYTests.sample(.float32, [4]), "b": NPYTests.sample(.uint8, [2, 2])])
        let deflated = Self.deflatedZip(name: "c.npy", data: NPYTests.sample(.int64, [30]).npyData())
        var g = RandomGenerator(seed: 123)
        for archive in [good, deflated] {
            for _ in 0..<1500 {
                var bytes = archive
                for _ in 0..<Int.random(in: 1...3, using: &g) {
                    bytes[Int.random(in: 0..<bytes.count, using: &g)] = UInt8.random(in: 0...255, using: &g)
                }
                do { _ = try readNPZ(data: bytes) } catch is TensorError {} catch {
                    Issue.record("unexpected error \(error)")
                }
            }
        }
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(Zlib.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Zlib.crc32([]) == 0)
    }
}
