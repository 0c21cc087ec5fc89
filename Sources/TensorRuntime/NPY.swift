/// Reading and writing numpy `.npy` files.
///
/// Reads format versions 1.0, 2.0 and 3.0; writes 1.0 (2.0 when the header exceeds 65535
/// bytes). Supported descriptors: `f4 f8 i4 i8 u1 b1` in any byte order (`<`, `>`, `=`, `|`).
/// Fortran-ordered arrays are transposed into row-major order. Malformed or truncated data
/// throws `TensorError(.format)`, an unsupported dtype `TensorError(.dtype)`, and file
/// failures `TensorError(.io)`.
extension Tensor {
    /// The magic string that starts every `.npy` file.
    package static let npyMagic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Decodes the bytes of a `.npy` file.
    public init(npyData bytes: [UInt8]) throws {
        let (header, dataStart) = try Self.parseNPYPreamble(bytes)
        let itemSize = header.dtype.byteSize
        var count = 1
        for extent in header.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw TensorError(.format, "npy shape \(header.shape) is too large") }
            count = product
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: itemSize)
        guard !overflow else { throw TensorError(.format, "npy shape \(header.shape) is too large") }
        let available = bytes.count - dataStart
        guard available >= byteCount else {
            throw TensorError(.format, "npy data truncated: shape \(header.shape) of \(header.dtype) needs "
                              + "\(byteCount) bytes, file has \(available)")
        }
        guard available == byteCount else {
            throw TensorError(.format, "npy data has \(available - byteCount) unexpected trailing bytes")
        }
        var data = Array(bytes[dataStart...])
        if header.byteSwapped { Self.swapBytes(&data, itemSize: itemSize) }
        if header.dtype == .bool { for i in data.indices where data[i] > 1 { data[i] = 1 } }
        if header.fortranOrder && header.shape.count > 1 {
            data = Self.rowMajor(fromColumnMajor: data, shape: header.shape, itemSize: itemSize)
        }
        self.init(zeros: header.shape, dtype: header.dtype)
        withUnsafeMutableRawBuffer { target in
            data.withUnsafeBytes { target.copyMemory(from: $0) }
        }
    }

    /// Reads a `.npy` file.
    public init(contentsOfNPY path: String) throws {
        let bytes = try FileIO.readBytes(atPath: path)
        do {
            try self.init(npyData: bytes)
        } catch let error as TensorError {
            throw TensorError(error.kind, "\(path): \(error.message)")
        }
    }

    /// The bytes of a `.npy` file holding this tensor (version 1.0, little-endian, C order).
    public func npyData() -> [UInt8] {
        let literal = Array(NPYHeader(dtype: dtype, shape: shape).literal.utf8)
        var version: UInt8 = 1
        var prefixLength = 10
        var total = (prefixLength + literal.count + 1 + 63) / 64 * 64
        if total - prefixLength > Int(UInt16.max) {
            version = 2
            prefixLength = 12
            total = (prefixLength + literal.count + 1 + 63) / 64 * 64
        }
        let headerLength = total - prefixLength
        var out = Self.npyMagic + [version, 0]
        out.reserveCapacity(total + count * dtype.byteSize)
        let lengthBytes = version == 1 ? 2 : 4
        for k in 0..<lengthBytes { out.append(UInt8(truncatingIfNeeded: headerLength >> (8 * k))) }
        out += literal
        out += [UInt8](repeating: 0x20, count: headerLength - literal.count - 1)
        out.append(0x0A)
        withUnsafeRawBuffer { raw in
            if UInt32(1).bigEndian == 1 && dtype.byteSize > 1 {
                var data = Array(raw)
                Self.swapBytes(&data, itemSize: dtype.byteSize)
                out += data
            } else {
                out += raw
            }
        }
        return out
    }

    /// Writes this tensor to a `.npy` file, replacing any file at `path`.
    public func write(npyTo path: String) throws {
        try FileIO.write(npyData(), toPath: path)
    }

    /// Parses magic, version and header; returns the header and the offset of the data.
    private static func parseNPYPreamble(_ bytes: [UInt8]) throws -> (NPYHeader, Int) {
        guard bytes.count >= 10 else {
            throw TensorError(.format, "npy data truncated: \(bytes.count) bytes, no room for the preamble")
        }
        guard Array(bytes[0..<6]) == npyMagic else { throw TensorError(.format, "not an npy file (bad magic)") }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw TensorError(.format, "npy data truncated in the preamble") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        default:
            throw TensorError(.format, "unsupported npy format version \(major).\(bytes[7])")
        }
        guard bytes.count - headerStart >= headerLength else {
            throw TensorError(.format, "npy header truncated: needs \(headerLength) bytes, "
                              + "file has \(bytes.count - headerStart)")
        }
        let dataStart = headerStart + headerLength
        let text = String(decoding: bytes[headerStart..<dataStart], as: UTF8.self)
        return (try NPYHeader(parsing: text), dataStart)
    }

    /// Reverses the byte order of every `itemSize`-byte element in place.
    private static func swapBytes(_ data: inout [UInt8], itemSize: Int) {
        guard itemSize > 1 else { return }
        for start in stride(from: 0, to: data.count, by: itemSize) {
            data[start..<(start + itemSize)].reverse()
        }
    }

    /// Reorders column-major (Fortran) element bytes into row-major order.
    private static func rowMajor(fromColumnMajor data: [UInt8], shape: [Int], itemSize: Int) -> [UInt8] {
        let count = shape.reduce(1, *)
        guard count > 0 else { return data }
        var columnStrides = [Int](repeating: 1, count: shape.count)
        for axis in 1..<shape.count { columnStrides[axis] = columnStrides[axis - 1] * shape[axis - 1] }
        var result = [UInt8](repeating: 0, count: data.count)
        var index = [Int](repeating: 0, count: shape.count)
        var source = 0
        for target in 0..<count {
            for b in 0..<itemSize { result[target * itemSize + b] = data[source * itemSize + b] }
            // Advance the row-major odometer, keeping the column-major offset in step.
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                source += columnStrides[axis]
                if index[axis] < shape[axis] { break }
                source -= columnStrides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}
