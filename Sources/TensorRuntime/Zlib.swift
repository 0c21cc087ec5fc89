import CZlib

/// Small wrappers over zlib: CRC-32, streaming inflate and one-shot deflate.
package enum Zlib {
    /// Why an inflate failed.
    package enum Failure: Error, Equatable {
        /// The input ended before the compressed stream did.
        case truncated
        /// The input is not a valid stream; zlib's message.
        case corrupt(String)
    }

    /// The CRC-32 of `bytes` (the checksum of zip and gzip).
    package static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc: uLong = CZlib.crc32(0, nil, 0)
        var offset = 0
        while offset < bytes.count {
            let n = min(bytes.count - offset, 1 << 30)
            crc = CZlib.crc32(crc, bytes.baseAddress!.assumingMemoryBound(to: Bytef.self) + offset, uInt(n))
            offset += n
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    /// The CRC-32 of `bytes`.
    package static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { crc32($0) }
    }

    /// Inflates one compressed stream at the start of `input`, returning the output and the
    /// number of input bytes the stream used.
    ///
    /// `windowBits` selects the wrapper as in `inflateInit2`: `-15` raw deflate (zip members),
    /// `15 + 32` zlib or gzip detected from the header (gzip trailers are checked).
    /// `sizeHint` is the expected output size, used only to size the first buffer; more than
    /// `maxOutput` bytes of output is reported as corrupt (a guard against bad size fields).
    package static func inflate(_ input: UnsafeRawBufferPointer, windowBits: Int32, sizeHint: Int = 0,
                                maxOutput: Int = .max) throws(Failure) -> (output: [UInt8], consumed: Int) {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt("inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(64, min(sizeHint, 1 << 31)))
        var produced = 0
        var offered = 0
        while true {
            if produced > maxOutput { throw .corrupt("more than the expected \(maxOutput) bytes of output") }
            if produced == output.count { output.append(contentsOf: repeatElement(0, count: output.count)) }
            if stream.avail_in == 0 && offered < input.count {
                let n = min(input.count - offered, Int(Int32.max))
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!
                    .assumingMemoryBound(to: Bytef.self) + offered)
                stream.avail_in = uInt(n)
                offered += n
            }
            let status = step(&stream, into: &output, produced: &produced)
            switch status {
            case Z_STREAM_END:
                output.removeSubrange(produced...)
                return (output, offered - Int(stream.avail_in))
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.avail_in == 0 && offered == input.count:
                throw .truncated
            case Z_BUF_ERROR:
                continue
            default:
                throw .corrupt(stream.msg.map { String(cString: $0) } ?? "zlib error \(status)")
            }
        }
    }

    /// One `inflate` call writing into `output` after its first `produced` bytes.
    private static func step(_ stream: inout z_stream, into output: inout [UInt8], produced: inout Int) -> Int32 {
        output.withUnsafeMutableBytes { buffer -> Int32 in
            let room = min(buffer.count - produced, Int(Int32.max))
            stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self) + produced
            stream.avail_out = uInt(room)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            produced += room - Int(stream.avail_out)
            return status
        }
    }

    /// Compresses `input` in one call. `windowBits` as in `deflateInit2`: `-15` raw,
    /// `15` zlib, `15 + 16` gzip. Used by tests and writers that want compressed output.
    package static func deflate(_ input: [UInt8], windowBits: Int32, level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(&stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
        let written = input.withUnsafeBytes { source -> Int in
            output.withUnsafeMutableBytes { target -> Int in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress?
                    .assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(target.count)
                let result = CZlib.deflate(&stream, Z_FINISH)
                precondition(result == Z_STREAM_END, "deflate did not finish: \(result)")
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output[..<written])
    }
}
