/// A minimal zip reader and writer, enough for numpy's `.npz` archives.
///
/// Writes stored (uncompressed) members with local headers, a central directory and CRC-32s;
/// members and the archive must stay below 4 GiB (no zip64 writing). Reads stored and
/// deflated members, including the zip64 size fields numpy's `savez` emits, and checks every
/// member's CRC-32. Malformed archives throw `TensorError(.format)`.
package enum ZipArchive {
    /// One file inside an archive.
    package struct Member: Equatable {
        /// The path inside the archive.
        package var name: String
        /// The uncompressed contents.
        package var data: [UInt8]

        /// A member from its name and contents.
        package init(name: String, data: [UInt8]) {
            self.name = name
            self.data = data
        }
    }

    private static let localSignature: UInt32 = 0x0403_4B50
    private static let centralSignature: UInt32 = 0x0201_4B50
    private static let endSignature: UInt32 = 0x0605_4B50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    private static let zip64EndSignature: UInt32 = 0x0606_4B50
    /// 1980-01-01, the earliest MS-DOS date: archives are byte-for-byte reproducible.
    private static let dosDate: UInt16 = 0x21

    /// The bytes of an archive holding `members` stored uncompressed, in the given order.
    package static func write(_ members: [Member]) throws -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for member in members {
            let name = Array(member.name.utf8)
            guard member.data.count < Int(UInt32.max), out.count < Int(UInt32.max), name.count <= Int(UInt16.max)
            else { throw TensorError(.format, "zip member '\(member.name)' is too large (no zip64 support)") }
            let crc = Zlib.crc32(member.data)
            let offset = UInt32(out.count)
            let size = UInt32(member.data.count)
            out.appendLE(localSignature)
            out.appendCommonFields(crc: crc, size: size, nameLength: name.count, dosDate: dosDate)
            out += name
            out += member.data
            central.appendLE(centralSignature)
            central.appendLE(UInt16(20))  // version made by: MS-DOS, 2.0
            central.appendCommonFields(crc: crc, size: size, nameLength: name.count, dosDate: dosDate)
            central += [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]  // comment length, disk, internal, external attributes
            central.appendLE(offset)
            central += name
        }
        guard members.count < Int(UInt16.max), out.count + central.count < Int(UInt32.max) else {
            throw TensorError(.format, "zip archive too large (no zip64 support)")
        }
        let centralOffset = UInt32(out.count)
        out += central
        out.appendLE(endSignature)
        out += [0, 0, 0, 0]  // this disk, disk with the central directory
        out.appendLE(UInt16(members.count))
        out.appendLE(UInt16(members.count))
        out.appendLE(UInt32(central.count))
        out.appendLE(centralOffset)
        out.appendLE(UInt16(0))  // comment length
        return out
    }

    /// The members of an archive, in central-directory order (directories skipped).
    package static func read(_ bytes: [UInt8]) throws -> [Member] {
        let reader = ByteReader(bytes: bytes)
        var (entries, position) = try centralDirectory(reader)
        var members: [Member] = []
        for _ in 0..<entries {
            let entry = try CentralEntry(reader, at: position)
            position = entry.next
            if entry.name.hasSuffix("/") { continue }
            members.append(Member(name: entry.name, data: try entry.extract(reader)))
        }
        return members
    }

    /// The entry count and offset of the central directory, from the (zip64) end record.
    private static func centralDirectory(_ reader: ByteReader) throws -> (Int, Int) {
        let bytes = reader.bytes
        guard bytes.count >= 22 else { throw TensorError(.format, "not a zip archive: only \(bytes.count) bytes") }
        var end = bytes.count - 22
        let lowest = max(0, end - Int(UInt16.max))
        while end >= lowest, try reader.u32(end) != endSignature { end -= 1 }
        guard end >= lowest else { throw TensorError(.format, "not a zip archive: no end of central directory") }
        var entries = Int(try reader.u16(end + 10))
        var offset = Int(try reader.u32(end + 16))
        if entries == Int(UInt16.max) || offset == Int(UInt32.max) {
            let locator = end - 20
            guard locator >= 0, try reader.u32(locator) == zip64LocatorSignature else {
                throw TensorError(.format, "zip64 end record locator missing")
            }
            let record = try reader.offset(try reader.u64(locator + 8))
            guard try reader.u32(record) == zip64EndSignature else {
                throw TensorError(.format, "zip64 end of central directory record missing")
            }
            entries = try reader.offset(try reader.u64(record + 32))
            offset = try reader.offset(try reader.u64(record + 48))
        }
        guard entries <= bytes.count / 46 else { throw TensorError(.format, "zip entry count \(entries) is impossible") }
        return (entries, offset)
    }
}

/// One central-directory record of a zip archive.
private struct CentralEntry {
    var name: String
    var flags: UInt16
    var method: UInt16
    var crc: UInt32
    var compressedSize: Int
    var size: Int
    var localOffset: Int
    /// Offset of the following record.
    var next: Int

    init(_ reader: ByteReader, at p: Int) throws {
        guard try reader.u32(p) == 0x0201_4B50 else {
            throw TensorError(.format, "zip central directory entry at \(p) has a bad signature")
        }
        flags = try reader.u16(p + 8)
        method = try reader.u16(p + 10)
        crc = try reader.u32(p + 16)
        let nameLength = Int(try reader.u16(p + 28))
        let extraLength = Int(try reader.u16(p + 30))
        let commentLength = Int(try reader.u16(p + 32))
        name = String(decoding: try reader.slice(p + 46, nameLength), as: UTF8.self)
        next = p + 46 + nameLength + extraLength + commentLength
        var fields = [UInt64(try reader.u32(p + 24)), UInt64(try reader.u32(p + 20)), UInt64(try reader.u32(p + 42))]
        try Self.applyZip64(&fields, extra: try reader.slice(p + 46 + nameLength, extraLength))
        guard fields[0] <= UInt64(Int.max) else { throw TensorError(.format, "zip member '\(name)' is too large") }
        size = Int(fields[0])
        compressedSize = try reader.offset(fields[1])
        localOffset = try reader.offset(fields[2])
    }

    /// Replaces 0xFFFFFFFF sizes/offset by the values of the zip64 extra field (id 1), which
    /// lists only the saturated ones, in the order size, compressed size, offset.
    private static func applyZip64(_ fields: inout [UInt64], extra: [UInt8]) throws {
        let reader = ByteReader(bytes: extra)
        var p = 0
        while p + 4 <= extra.count {
            let id = try reader.u16(p)
            let length = Int(try reader.u16(p + 2))
            if id == 1 {
                var q = p + 4
                for k in fields.indices where fields[k] == UInt64(UInt32.max) {
                    guard q + 8 <= p + 4 + length else { throw TensorError(.format, "zip64 extra field too short") }
                    fields[k] = try reader.u64(q)
                    q += 8
                }
            }
            p += 4 + length
        }
    }

    /// The member's uncompressed bytes, checked against its size and CRC-32.
    func extract(_ reader: ByteReader) throws -> [UInt8] {
        guard flags & 1 == 0 else { throw TensorError(.format, "zip member '\(name)' is encrypted") }
        guard try reader.u32(localOffset) == 0x0403_4B50 else {
            throw TensorError(.format, "zip member '\(name)' has a bad local header signature")
        }
        let start = localOffset + 30 + Int(try reader.u16(localOffset + 26)) + Int(try reader.u16(localOffset + 28))
        let compressed = try reader.slice(start, compressedSize)
        let data: [UInt8]
        switch method {
        case 0:
            data = compressed
        case 8:
            data = try inflate(compressed, sizeHint: min(size, compressed.count * 1032 + 64))
        default:
            throw TensorError(.format, "zip member '\(name)' uses unsupported compression method \(method)")
        }
        guard data.count == size else {
            throw TensorError(.format, "zip member '\(name)' has \(data.count) bytes, directory says \(size)")
        }
        guard Zlib.crc32(data) == crc else { throw TensorError(.format, "zip member '\(name)' fails its CRC-32 check") }
        return data
    }
}

extension CentralEntry {
    /// Inflates a raw-deflate member, mapping zlib failures to `TensorError(.format)`.
    fileprivate func inflate(_ compressed: [UInt8], sizeHint: Int) throws -> [UInt8] {
        let result = compressed.withUnsafeBytes { raw -> Result<[UInt8], Zlib.Failure> in
            do throws(Zlib.Failure) {
                return .success(try Zlib.inflate(raw, windowBits: -15, sizeHint: sizeHint, maxOutput: size).output)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let data):
            return data
        case .failure(.truncated):
            throw TensorError(.format, "zip member '\(name)': deflate stream truncated")
        case .failure(.corrupt(let why)):
            throw TensorError(.format, "zip member '\(name)': corrupt deflate stream (\(why))")
        }
    }
}

/// Bounds-checked little-endian reads; out-of-range reads throw `TensorError(.format)`.
private struct ByteReader {
    let bytes: [UInt8]

    func slice(_ start: Int, _ length: Int) throws -> [UInt8] {
        guard start >= 0, length >= 0, start <= bytes.count, length <= bytes.count - start else {
            throw TensorError(.format, "zip archive truncated: needs bytes \(start)..<\(start + length), "
                              + "has \(bytes.count)")
        }
        return Array(bytes[start..<(start + length)])
    }

    func unsigned(_ start: Int, _ width: Int) throws -> UInt64 {
        try slice(start, width).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    func u16(_ p: Int) throws -> UInt16 { UInt16(try unsigned(p, 2)) }
    func u32(_ p: Int) throws -> UInt32 { UInt32(try unsigned(p, 4)) }
    func u64(_ p: Int) throws -> UInt64 { try unsigned(p, 8) }

    /// A 64-bit size or offset as an Int, rejecting values beyond the archive.
    func offset(_ value: UInt64) throws -> Int {
        guard value <= UInt64(bytes.count) else { throw TensorError(.format, "zip offset or size \(value) beyond the archive") }
        return Int(value)
    }
}

extension [UInt8] {
    fileprivate mutating func appendLE(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    fileprivate mutating func appendLE(_ value: UInt32) {
        for k in 0..<4 { append(UInt8(truncatingIfNeeded: value >> (8 * k))) }
    }

    /// The fields local and central headers share, from "version needed" to "extra length".
    fileprivate mutating func appendCommonFields(crc: UInt32, size: UInt32, nameLength: Int, dosDate: UInt16) {
        appendLE(UInt16(20))  // version needed: 2.0
        appendLE(UInt16(0x0800))  // flags: UTF-8 names
        appendLE(UInt16(0))  // method: stored
        appendLE(UInt16(0))  // time
        appendLE(dosDate)
        appendLE(crc)
        appendLE(size)  // compressed size
        appendLE(size)  // uncompressed size
        appendLE(UInt16(nameLength))
        appendLE(UInt16(0))  // extra length
    }
}
