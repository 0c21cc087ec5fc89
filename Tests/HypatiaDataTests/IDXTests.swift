import Testing
import TensorRuntime
@testable import HypatiaData

@Suite("IDX files")
struct IDXTests {
    static func sample(_ dtype: DType, _ shape: [Int]) -> Tensor {
        var g = RandomGenerator(seed: 17)
        return Tensor(randomUniform: shape, in: -300...300, dtype: .float64, generator: &g)
            .converted(to: dtype == .uint8 ? .int64 : dtype).converted(to: dtype)
    }

    @Test(arguments: [DType.uint8, .int32, .float32, .float64], [[], [0], [5], [3, 4, 2]])
    func roundTripsThroughFiles(_ dtype: DType, _ shape: [Int]) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let t = Self.sample(dtype, shape)
        try IDX.write(t, to: dir.file("t.idx"))
        #expect(try IDX.read(contentsOf: dir.file("t.idx")) == t)
        try writeGzipped(try IDX.encode(t), to: dir.file("t.idx.gz"))
        #expect(try IDX.read(contentsOf: dir.file("t.idx.gz")) == t)
    }

    @Test func encodesBigEndian() throws {
        #expect(try IDX.encode(Tensor([Int32(1), -2])) == [0, 0, 0x0C, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFE])
        #expect(try IDX.encode(Tensor([Float(1)])) == [0, 0, 0x0D, 1, 0, 0, 0, 1, 0x3F, 0x80, 0, 0])
        #expect(try IDX.encode(Tensor(UInt8(7))) == [0, 0, 0x08, 0, 7])
        expectDataError([.invalidArgument]) { _ = try IDX.encode(Tensor([Int64(1)])) }
        expectDataError([.invalidArgument]) { _ = try IDX.encode(Tensor([true])) }
    }

    @Test func readsSignedBytesAndShorts() throws {
        let sbyte: [UInt8] = [0, 0, 0x09, 1, 0, 0, 0, 3, 0xFF, 0x01, 0x80]
        #expect(try IDX.read(sbyte) == Tensor([Int32(-1), 1, -128]))
        let short: [UInt8] = [0, 0, 0x0B, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0xFF, 0xFE, 0x01, 0x00]
        #expect(try IDX.read(short) == (try Tensor(shape: [1, 2], scalars: [Int32(-2), 256])))
        let double: [UInt8] = [0, 0, 0x0E, 1, 0, 0, 0, 1, 0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18]
        #expect(try IDX.read(double) == Tensor([Double.pi]))
    }

    @Test func malformedDataThrows() throws {
        let good = try IDX.encode(Self.sample(.int32, [2, 3]))
        expectDataError([.truncated]) { _ = try IDX.read(Array(good.dropLast())) }
        expectDataError([.truncated]) { _ = try IDX.read([0, 0, 8]) }
        expectDataError([.truncated]) { _ = try IDX.read([0, 0, 8, 2, 0, 0, 0, 1, 0, 0]) }
        expectDataError([.format]) { _ = try IDX.read(good + [0]) }
        expectDataError([.format]) { _ = try IDX.read([1] + good.dropFirst()) }
        expectDataError([.format]) { _ = try IDX.read([0, 0, 0x0A, 1, 0, 0, 0, 1, 0]) }
        expectDataError([.format]) { _ = try IDX.read([0, 0, 8, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]) }
        for length in 0..<good.count {
            expectDataError([.truncated]) { _ = try IDX.read(Array(good[..<length])) }
        }
        let zipped = gzip(good)
        expectDataError([.truncated]) { _ = try IDX.read(Array(zipped.dropLast(3))) }
        var corrupt = zipped
        corrupt[3] = 0xFF  // reserved gzip flag bits
        expectDataError([.format, .truncated]) { _ = try IDX.read(corrupt) }
    }

    @Test func missingFileThrowsIOWithPath() throws {
        do {
            _ = try IDX.read(contentsOf: "/nonexistent/hypatia/file.idx")
            Issue.record("no error")
        } catch let error as DataError {
            #expect(error.kind == .io && error.path == "/nonexistent/hypatia/file.idx")
        }
    }

    @Test func fileErrorsCarryThePath() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try writeGzipped([0, 0, 8, 1, 0, 0, 0, 5, 1, 2], to: dir.file("short.gz"))
        do {
            _ = try IDX.read(contentsOf: dir.file("short.gz"))
            Issue.record("no error")
        } catch let error as DataError {
            #expect(error.kind == .truncated && error.path == dir.file("short.gz"))
            #expect(error.description.contains("short.gz"))
        }
    }
}
