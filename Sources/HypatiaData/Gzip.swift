import TensorRuntime

/// The two magic bytes that start a gzip stream.
let gzipMagic: [UInt8] = [0x1F, 0x8B]

/// Decompresses gzip (or zlib) data with zlib's inflate (`windowBits` 15 + 32: the header is
/// detected automatically and the gzip CRC-32 and length trailer are checked).
///
/// Concatenated gzip members are decompressed one after the other, like `gunzip`. Input that
/// ends early throws `DataError(.truncated)`; a corrupt stream or non-gzip trailing bytes
/// throw `DataError(.format)`.
public func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
    var output: [UInt8] = []
    var offset = 0
    repeat {
        let rest = bytes.count - offset
        let member = try bytes.withUnsafeBytes { raw -> (output: [UInt8], consumed: Int) in
            let input = UnsafeRawBufferPointer(rebasing: raw[offset...])
            return try inflateMember(input, sizeHint: offset == 0 ? gzipSizeHint(bytes) : rest * 4)
        }
        guard member.consumed > 0 else { throw DataError(.format, "gzip member consumed no input") }
        if output.isEmpty { output = member.output } else { output += member.output }
        offset += member.consumed
        if offset < bytes.count && !bytes[offset...].starts(with: gzipMagic) {
            throw DataError(.format, "\(bytes.count - offset) unexpected bytes after the gzip stream")
        }
    } while offset < bytes.count
    return output
}

/// Inflates one gzip member, mapping zlib failures to `DataError`.
private func inflateMember(_ input: UnsafeRawBufferPointer, sizeHint: Int) throws -> (output: [UInt8], consumed: Int) {
    do throws(Zlib.Failure) {
        return try Zlib.inflate(input, windowBits: 15 + 32, sizeHint: sizeHint)
    } catch .truncated {
        throw DataError(.truncated, "gzip stream ends early")
    } catch .corrupt(let why) {
        throw DataError(.format, "corrupt gzip stream (\(why))")
    }
}

/// The uncompressed size from a single-member gzip trailer (ISIZE, modulo 2^32), bounded by
/// deflate's best ratio so a corrupt trailer cannot request a huge buffer.
private func gzipSizeHint(_ bytes: [UInt8]) -> Int {
    guard bytes.count >= 18 else { return 0 }
    let isize = bytes.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
    return min(isize, bytes.count * 1032)
}
