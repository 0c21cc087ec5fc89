import Testing
@testable import TensorRuntime

@Suite("npy files")
struct NPYTests {
    static let shapes: [[Int]] = [[], [0], [3], [2, 3, 4]]

    /// A tensor of the given dtype and shape with varied, dtype-representable values.
    static func sample(_ dtype: DType, _ shape: [Int], seed: UInt64 = 1) -> Tensor {
        var g = RandomGenerator(seed: seed)
        let wide = Tensor(randomUniform: shape, in: -1000...1000, dtype: .float64, generator: &g)
        switch dtype {
        case .uint8: return wide.converted(to: .int64).converted(to: .uint8)
        case .bool: return Tensor(randomUniform: shape, in: -2...2, dtype: .float64, generator: &g)
            .converted(to: .int64).converted(to: .bool)
        case .float32, .float64, .int32, .int64: return wide.converted(to: dtype)
        }
    }

    @Test(arguments: DType.allCases, shapes)
    func roundTripsEveryDtypeAndShape(_ dtype: DType, _ shape: [Int]) throws {
        let t = Self.sample(dtype, shape)
        let bytes = t.npyData()
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect(Array(bytes[0..<8]) == Tensor.npyMagic + [1, 0])
        #expect((10 + headerLength) % 64 == 0)
        #expect(bytes[10 + headerLength - 1] == 0x0A)
        #expect(bytes.count == 10 + headerLength + t.count * dtype.byteSize)
        #expect(try Tensor(npyData: bytes) == t)
    }

    @Test func headerTextMatchesNumpy() {
        #expect(NPYHeader(dtype: .float32, shape: [3]).literal == "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }")
        #expect(NPYHeader(dtype: .bool, shape: []).literal == "{'descr': '|b1', 'fortran_order': False, 'shape': (), }")
        #expect(NPYHeader(dtype: .int64, shape: [2, 3]).literal.contains("'shape': (2, 3)"))
    }

    @Test func fileRoundTrip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let t = Self.sample(.float32, [4, 5])
        try t.write(npyTo: dir.file("a.npy"))
        #expect(try Tensor(contentsOfNPY: dir.file("a.npy")) == t)
        expectTensorError(.io) { _ = try Tensor(contentsOfNPY: dir.file("missing.npy")) }
        expectTensorError(.io) { _ = try Tensor(contentsOfNPY: dir.path) }
        expectTensorError(.io) { try t.write(npyTo: dir.file("no/such/dir/a.npy")) }
    }

    /// Builds npy bytes from a raw header literal and payload (version 1.0).
    static func npy(header: String, payload: [UInt8], version: UInt8 = 1) -> [UInt8] {
        var text = Array(header.utf8)
        while (text.count + 11) % 64 != 0 { text.append(0x20) }
        text.append(0x0A)
        let prefix = Tensor.npyMagic + [version, 0]
        if version == 1 { return prefix + [UInt8(text.count & 255), UInt8(text.count >> 8)] + text + payload }
        return prefix + [UInt8(text.count & 255), UInt8(text.count >> 8), 0, 0] + text + payload
    }

    @Test func readsBigEndianNativeFortranAndVersion2() throws {
        let be = Self.npy(header: "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }",
                          payload: [0, 0, 1, 2, 0xFF, 0xFF, 0xFF, 0xFE])
        #expect(try Tensor(npyData: be) == Tensor([Int32(258), -2]))
        let native = Self.npy(header: "{'shape': (1,), 'fortran_order': False, 'descr': '=f8'}",
                              payload: Array(Tensor([2.5]).npyData().suffix(8)))
        #expect(try Tensor(npyData: native) == Tensor([2.5]))
        // Column-major [[1, 2, 3], [4, 5, 6]] is stored 1 4 2 5 3 6.
        let fortran = Self.npy(header: "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }",
                               payload: [1, 4, 2, 5, 3, 6])
        #expect(try Tensor(npyData: fortran) == (try Tensor(shape: [2, 3], scalars: [UInt8(1), 2, 3, 4, 5, 6])))
        let v2 = Self.npy(header: "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }",
                          payload: [1, 0, 2], version: 2)
        #expect(try Tensor(npyData: v2) == Tensor([true, false, true]))
    }

    @Test func writesVersion2WhenTheHeaderIsLong() throws {
        let t = Tensor(zeros: [Int](repeating: 1, count: 30_000), dtype: .uint8)
        let bytes = t.npyData()
        #expect(bytes[6] == 2)
        #expect(try Tensor(npyData: bytes) == t)
    }

    static let corruptHeaders: [String] = [
        "[1, 2]",
        "{'descr': '<f4', 'shape': (1,), }",
        "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1.5,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } trailing",
        "{'descr': '<f4, 'fortran_order': False, 'shape': (1,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999, 99999999999), }",
        "{'descr': '<f4' 'fortran_order': False}",
        "{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{",
        "",
    ]

    @Test(arguments: corruptHeaders)
    func corruptHeadersThrowFormat(_ header: String) {
        expectTensorError(.format) { _ = try Tensor(npyData: Self.npy(header: header, payload: [0, 0, 0, 0])) }
    }

    @Test func unsupportedDtypeThrowsDtype() {
        for descr in ["<c16", "<i2", "|i1", "<U3", "f4"] {
            let header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (1,), }"
            expectTensorError(.dtype) { _ = try Tensor(npyData: Self.npy(header: header, payload: [0, 0, 0, 0])) }
        }
    }

    @Test func badPreambleAndPayloadThrowFormat() {
        let good = Tensor([Float(1), 2]).npyData()
        expectTensorError(.format) { _ = try Tensor(npyData: []) }
        expectTensorError(.format) { _ = try Tensor(npyData: [0x50, 0x4B] + good.dropFirst(2)) }
        var badVersion = good
        badVersion[6] = 9
        expectTensorError(.format) { _ = try Tensor(npyData: badVersion) }
        var longHeader = good
        longHeader[9] = 0x7F
        expectTensorError(.format) { _ = try Tensor(npyData: longHeader) }
        expectTensorError(.format) { _ = try Tensor(npyData: good + [0]) }
        expectTensorError(.format) { _ = try Tensor(npyData: Array(good.dropLast())) }
    }

    @Test func everyTruncationThrowsFormat() {
        let good = Self.sample(.int64, [2, 3]).npyData()
        for length in 0..<good.count {
            expectTensorError(.format) { _ = try Tensor(npyData: Array(good[..<length])) }
        }
    }

    @Test func randomByteFlipsNeverCrash() {
        let good = Self.sample(.float64, [3, 2]).npyData()
        var g = RandomGenerator(seed: 99)
        for _ in 0..<2000 {
            var bytes = good
            for _ in 0..<Int.random(in: 1...3, using: &g) {
                bytes[Int.random(in: 0..<bytes.count, using: &g)] = UInt8.random(in: 0...255, using: &g)
            }
            do { _ = try Tensor(npyData: bytes) } catch is TensorError {} catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }
}
