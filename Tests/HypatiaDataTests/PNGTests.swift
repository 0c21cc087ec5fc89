import Foundation
import Testing
import TensorRuntime
@testable import HypatiaData

/// A PNG decoded by the test's own reader: chunk types in order, header fields, pixels.
struct DecodedPNG {
    var chunkTypes: [String] = []
    var width = 0, height = 0
    var bitDepth = 0, colorType = 0, compression = 0, filter = 0, interlace = 0
    var pixels: [UInt8] = []

    /// Parses `bytes`, checking the signature, every chunk's CRC-32 and the scanline filters.
    init(_ bytes: [UInt8]) throws {
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var offset = 8
        var idat: [UInt8] = []
        while offset < bytes.count {
            let length = Int(Self.u32(bytes, offset))
            let typeAndData = Array(bytes[(offset + 4)..<(offset + 8 + length)])
            let type = String(decoding: typeAndData.prefix(4), as: UTF8.self)
            #expect(Self.u32(bytes, offset + 8 + length) == Zlib.crc32(typeAndData), "CRC of \(type)")
            let data = Array(typeAndData.dropFirst(4))
            chunkTypes.append(type)
            if type == "IHDR" { readHeader(data) }
            if type == "IDAT" { idat += data }
            offset += 12 + length
        }
        let raw = try idat.withUnsafeBytes { try Zlib.inflate($0, windowBits: 15).output }
        try #require(raw.count == (width + 1) * height)
        for row in 0..<height {
            #expect(raw[row * (width + 1)] == 0, "filter type of row \(row)")
            pixels += raw[(row * (width + 1) + 1)..<((row + 1) * (width + 1))]
        }
    }

    private mutating func readHeader(_ data: [UInt8]) {
        #expect(data.count == 13)
        width = Int(Self.u32(data, 0))
        height = Int(Self.u32(data, 4))
        (bitDepth, colorType, compression, filter, interlace) =
            (Int(data[8]), Int(data[9]), Int(data[10]), Int(data[11]), Int(data[12]))
    }

    static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}

@Suite("PNG")
struct PNGTests {
    @Test(arguments: [(1, 1), (3, 2), (28, 28), (300, 7)])
    func grayscaleRoundTrip(_ size: (width: Int, height: Int)) throws {
        let pixels = randomBytes(size.width * size.height, seed: UInt64(size.width))
        let png = try PNG.encodeGrayscale(width: size.width, height: size.height, pixels: pixels)
        let decoded = try DecodedPNG(png)
        #expect(decoded.chunkTypes == ["IHDR", "IDAT", "IEND"])
        #expect(decoded.width == size.width && decoded.height == size.height)
        let fields: [Int] = [decoded.bitDepth, decoded.colorType, decoded.compression, decoded.filter,
                             decoded.interlace]
        #expect(fields == [8, 0, 0, 0, 0])
        #expect(decoded.pixels == pixels)
    }

    @Test func floatTensorsAreClampedAndScaled() throws {
        let image = try Tensor(shape: [2, 3], scalars: [0, 0.5, 1, -1, 2, .nan] as [Double])
        let decoded = try DecodedPNG(try PNG.encodeGrayscale(image))
        #expect(decoded.width == 3 && decoded.height == 2)
        #expect(decoded.pixels == [0, 128, 255, 0, 255, 0])
        let bytes = try Tensor(shape: [1, 2], scalars: [7, 200] as [UInt8])
        #expect(try DecodedPNG(try PNG.encodeGrayscale(bytes)).pixels == [7, 200])
    }

    @Test func invalidImagesThrow() {
        expectDataError([.invalidArgument]) { _ = try PNG.encodeGrayscale(width: 0, height: 1, pixels: []) }
        expectDataError([.invalidArgument]) { _ = try PNG.encodeGrayscale(width: 2, height: 2, pixels: [1, 2, 3]) }
        expectDataError([.invalidArgument]) { _ = try PNG.encodeGrayscale(Tensor(zeros: [4])) }
        expectDataError([.invalidArgument]) { _ = try PNG.encodeGrayscale(Tensor(zeros: [2, 2], dtype: .int32)) }
        expectDataError([.invalidArgument]) { _ = try PNG.encodeGrayscale(Tensor(zeros: [0, 3])) }
        expectDataError([.io]) { try PNG.writeGrayscale(Tensor(zeros: [2, 2]), to: "/nonexistent-dir/x.png") }
    }

    @Test func writesAFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let image = try Tensor(shape: [2, 2], scalars: [0, 64, 128, 255] as [UInt8])
        try PNG.writeGrayscale(image, to: directory.file("a.png"))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.file("a.png"))))
        #expect(try DecodedPNG(bytes).pixels == [0, 64, 128, 255])
    }
}
