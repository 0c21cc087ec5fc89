import Foundation
import Testing
import TensorRuntime
@testable import HypatiaData

@Suite("tileImages and filter images")
struct PNGTilingTests {
    /// Three 2×2 images on a 2×2 grid with 1-pixel spacing: a 5×5 picture whose last tile and
    /// spacing stay black; each image is scaled to [0, 1] and truncated like the tutorial's.
    @Test func layoutAndPerImageScaling() throws {
        let images = try Tensor(shape: [3, 4], scalars: [0, 1, 2, 3,
                                                          10, 10, 10, 20,
                                                          -1, 1, 1, -1] as [Float])
        let tiled = try tileImages(images, imageShape: (2, 2), tileShape: (2, 2))
        #expect(tiled.shape == [5, 5] && tiled.dtype == .uint8)
        let cube = try Tensor(shape: [3, 2, 2], scalars: images.scalars(as: Float.self))
        #expect(try tileImages(cube, imageShape: (2, 2), tileShape: (2, 2)) == tiled)
        #expect(tiled.scalars(as: UInt8.self) == [
            0, 84, 0, 0, 0,
            169, 254, 0, 0, 254,
            0, 0, 0, 0, 0,
            0, 254, 0, 0, 0,
            254, 0, 0, 0, 0,
        ])
    }

    @Test func unscaledValuesAndSpacing() throws {
        let images = try Tensor(shape: [2, 2], scalars: [0.5, 1, 2, -3] as [Double])
        let tiled = try tileImages(images, imageShape: (1, 2), tileShape: (2, 1), spacing: (2, 0),
                                   scaleToUnitInterval: false)
        #expect(tiled.shape == [4, 2])
        #expect(tiled.scalars(as: UInt8.self) == [127, 255, 0, 0, 0, 0, 255, 0])
        let bytes = try Tensor(shape: [1, 2], scalars: [9, 250] as [UInt8])
        let tiledBytes = try tileImages(bytes, imageShape: (1, 2), tileShape: (1, 1), scaleToUnitInterval: false)
        #expect(tiledBytes.scalars(as: UInt8.self) == [9, 250])
    }

    @Test func moreImagesThanTilesShowsTheFirst() throws {
        let images = try Tensor(shape: [3, 1], scalars: [1, 2, 3] as [Float])
        let tiled = try tileImages(images, imageShape: (1, 1), tileShape: (1, 2), spacing: (0, 0),
                                   scaleToUnitInterval: false)
        #expect(tiled.scalars(as: UInt8.self) == [255, 255])
    }

    @Test func invalidArgumentsThrow() {
        let images = Tensor(zeros: [2, 4])
        expectDataError([.invalidArgument]) { _ = try tileImages(images, imageShape: (2, 3), tileShape: (1, 2)) }
        expectDataError([.invalidArgument]) { _ = try tileImages(images, imageShape: (2, 2), tileShape: (0, 2)) }
        expectDataError([.invalidArgument]) {
            _ = try tileImages(images, imageShape: (2, 2), tileShape: (1, 2), spacing: (-1, 0))
        }
        expectDataError([.invalidArgument]) {
            _ = try tileImages(Tensor(zeros: [2, 4], dtype: .int64), imageShape: (2, 2), tileShape: (1, 2))
        }
        expectDataError([.invalidArgument]) { _ = try filterImage(weights: Tensor(zeros: [783, 5])) }
    }

    /// The columns of a `[pixels, units]` weight matrix become the tiles, on a near-square grid.
    @Test func filterImageTilesTheColumns() throws {
        // Weights [4, 3]: unit u has pixels (u, u+1, u+2, u+3) scaled to 0, 85, 170, 254.
        var weights = Tensor(zeros: [4, 3])
        for p in 0..<4 { for u in 0..<3 { weights[p, u] = Double(10 * u + p) } }
        let image = try filterImage(weights: weights, imageShape: (2, 2))
        #expect(image.shape == [5, 5])
        let expected = try tileImages(try Tensor(shape: [3, 4], scalars: (0..<3).flatMap { u in
            (0..<4).map { Float(10 * u + $0) }
        }), imageShape: (2, 2), tileShape: (2, 2))
        #expect(image == expected)
        #expect(Array(image.scalars(as: UInt8.self)[0..<2]) == [0, 84])
    }

    @Test func mnistFilterImageIsWrittenAsPNG() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let weights = try Tensor(shape: [784, 500], scalars: (0..<(784 * 500)).map { Float(($0 * 7919) % 1000) })
        try writeFilterImage(weights: weights, to: directory.file("filters.png"), tileShape: (10, 10))
        let decoded = try DecodedPNG([UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.file("filters.png")))))
        #expect(decoded.width == 289 && decoded.height == 289)  // 10 · 29 - 1
        let all = try filterImage(weights: weights)
        #expect(all.shape == [22 * 29 - 1, 23 * 29 - 1])  // 500 filters: 23 columns, 22 rows
    }
}
