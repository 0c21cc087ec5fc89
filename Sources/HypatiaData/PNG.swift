import TensorRuntime

/// A minimal PNG writer for 8-bit grayscale images (filter visualisations, sample digits).
///
/// The file is the 8-byte signature, an `IHDR` chunk (width, height, bit depth 8, color type 0
/// grayscale, no interlace), one `IDAT` chunk holding the zlib-deflated scanlines (each
/// prefixed by filter type 0, "None") and an empty `IEND` chunk. Every chunk carries the
/// CRC-32 of its type and data, computed by zlib.
public enum PNG {
    /// The eight bytes every PNG file starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The PNG bytes of a `width` × `height` grayscale image given row-major, one byte per
    /// pixel (0 black, 255 white).
    ///
    /// Throws `DataError(.invalidArgument)` when a side is not in `1...2^31-1` or
    /// `pixels.count` is not `width * height`.
    public static func encodeGrayscale(width: Int, height: Int, pixels: [UInt8]) throws -> [UInt8] {
        let limit = Int(Int32.max)
        guard (1...limit).contains(width), (1...limit).contains(height) else {
            throw DataError(.invalidArgument, "PNG: image size \(width)×\(height) must be at least 1×1 "
                            + "and at most \(limit) per side")
        }
        guard pixels.count == width * height else {
            throw DataError(.invalidArgument, "PNG: a \(width)×\(height) image has \(width * height) pixels, "
                            + "got \(pixels.count)")
        }
        var header: [UInt8] = []
        header += bigEndian32(UInt32(width))
        header += bigEndian32(UInt32(height))
        header += [8, 0, 0, 0, 0]  // bit depth, color type (gray), compression, filter, interlace
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity((width + 1) * height)
        for row in 0..<height {
            scanlines.append(0)  // filter type None
            scanlines += pixels[(row * width)..<((row + 1) * width)]
        }
        var out = signature
        out += chunk("IHDR", header)
        out += chunk("IDAT", Zlib.deflate(scanlines, windowBits: 15, level: 9))
        out += chunk("IEND", [])
        return out
    }

    /// The PNG bytes of a grayscale image tensor of shape `[height, width]`.
    ///
    /// A uint8 tensor is written as is; a float32 or float64 tensor is read as intensities in
    /// `[0, 1]` (clamped, scaled by 255 and rounded). Throws `DataError(.invalidArgument)` for
    /// another rank or dtype, or an empty image.
    public static func encodeGrayscale(_ image: Tensor) throws -> [UInt8] {
        guard image.rank == 2 else {
            throw DataError(.invalidArgument, "PNG: a grayscale image must have shape [height, width], "
                            + "got \(image.shape)")
        }
        let pixels: [UInt8]
        switch image.dtype {
        case .uint8:
            pixels = image.scalars(as: UInt8.self)
        case .float32, .float64:
            pixels = (0..<image.count).map { i in
                let v = image.double(at: i)
                return v.isNaN ? 0 : UInt8((min(max(v, 0), 1) * 255).rounded())
            }
        case .int32, .int64, .bool:
            throw DataError(.invalidArgument, "PNG: image dtype \(image.dtype) is not supported "
                            + "(use uint8 pixels or float intensities in [0, 1])")
        }
        return try encodeGrayscale(width: image.shape[1], height: image.shape[0], pixels: pixels)
    }

    /// Writes a grayscale image tensor (see `encodeGrayscale(_:)`) as a PNG file at `path`.
    ///
    /// Throws `DataError(.invalidArgument)` for an unsupported image and `DataError(.io)` when
    /// the file cannot be written.
    public static func writeGrayscale(_ image: Tensor, to path: String) throws {
        try writeFile(try encodeGrayscale(image), to: path)
    }

    /// One chunk: big-endian data length, type, data, CRC-32 of type and data.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return bigEndian32(UInt32(data.count)) + typeAndData + bigEndian32(Zlib.crc32(typeAndData))
    }

    /// The four big-endian bytes of `value`.
    static func bigEndian32(_ value: UInt32) -> [UInt8] {
        [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
    }
}
