import TensorRuntime

/// Reader and writer for the IDX format of the MNIST files.
///
/// Layout: two zero bytes, a type byte, the number of dimensions, one big-endian UInt32 per
/// dimension, then the elements big-endian and row-major. Types and the tensors they give:
///
/// | byte | IDX type | dtype   |
/// | ---- | -------- | ------- |
/// | 0x08 | ubyte    | uint8   |
/// | 0x09 | sbyte    | int32   |
/// | 0x0B | short    | int32   |
/// | 0x0C | int      | int32   |
/// | 0x0D | float    | float32 |
/// | 0x0E | double   | float64 |
///
/// Gzip-compressed input is recognised by its `1f 8b` magic and decompressed first.
public enum IDX {
    /// An IDX element type.
    enum ElementType: UInt8 {
        case ubyte = 0x08, sbyte = 0x09, short = 0x0B, int = 0x0C, float = 0x0D, double = 0x0E

        /// Bytes per element in the file.
        var size: Int {
            switch self {
            case .ubyte, .sbyte: return 1
            case .short: return 2
            case .int, .float: return 4
            case .double: return 8
            }
        }

        /// The dtype of the tensor that holds this type.
        var dtype: DType {
            switch self {
            case .ubyte: return .uint8
            case .sbyte, .short, .int: return .int32
            case .float: return .float32
            case .double: return .float64
            }
        }
    }

    /// Decodes IDX bytes (gzip-compressed or not) into a tensor.
    ///
    /// Throws `DataError(.truncated)` when the data is shorter than the dimensions require,
    /// `DataError(.format)` for a bad magic number, an unknown type byte or extra bytes.
    public static func read(_ bytes: [UInt8]) throws -> Tensor {
        let raw = bytes.starts(with: gzipMagic) ? try gunzip(bytes) : bytes
        let (type, shape, start) = try parseHeader(raw)
        var tensor = Tensor(zeros: shape, dtype: type.dtype)
        guard tensor.count > 0 else { return tensor }
        raw.withUnsafeBytes { source in
            let payload = UnsafeRawBufferPointer(rebasing: source[start...])
            switch type {
            case .ubyte:
                tensor.withUnsafeMutableRawBuffer { $0.copyMemory(from: payload) }
            case .sbyte:
                tensor.withUnsafeMutableBufferPointer(as: Int32.self) { out in
                    for i in out.indices { out[i] = Int32(Int8(bitPattern: payload[i])) }
                }
            case .short:
                decode(payload, into: &tensor, as: Int32.self, size: 2) { Int32(Int16(bitPattern: UInt16($0))) }
            case .int:
                decode(payload, into: &tensor, as: Int32.self, size: 4) { Int32(bitPattern: UInt32($0)) }
            case .float:
                decode(payload, into: &tensor, as: Float.self, size: 4) { Float(bitPattern: UInt32($0)) }
            case .double:
                decode(payload, into: &tensor, as: Double.self, size: 8) { Double(bitPattern: $0) }
            }
        }
        return tensor
    }

    /// Reads an IDX file (gzip-compressed or not). Errors carry the path.
    public static func read(contentsOf path: String) throws -> Tensor {
        let bytes = try readFile(path)
        do {
            return try read(bytes)
        } catch let error as DataError {
            throw error.at(path)
        }
    }

    /// Parses magic, type and dimensions; checks the payload length against them.
    private static func parseHeader(_ bytes: [UInt8]) throws -> (ElementType, [Int], Int) {
        guard bytes.count >= 4 else {
            throw DataError(.truncated, "IDX data has \(bytes.count) bytes, too short for the magic number")
        }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw DataError(.format, "bad IDX magic number: first two bytes must be 0")
        }
        guard let type = ElementType(rawValue: bytes[2]) else {
            throw DataError(.format, "unknown IDX element type 0x\(String(bytes[2], radix: 16))")
        }
        let rank = Int(bytes[3])
        let start = 4 + 4 * rank
        guard bytes.count >= start else {
            throw DataError(.truncated, "IDX header truncated: \(rank) dimensions need \(start) bytes, got \(bytes.count)")
        }
        let shape = (0..<rank).map { axis in
            (0..<4).reduce(0) { $0 << 8 | Int(bytes[4 + 4 * axis + $1]) }
        }
        var expected = type.size
        for extent in shape {
            let (product, overflow) = expected.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw DataError(.format, "IDX dimensions \(shape) are too large") }
            expected = product
        }
        let available = bytes.count - start
        guard available >= expected else {
            throw DataError(.truncated, "IDX data truncated: dimensions \(shape) need \(expected) bytes, got \(available)")
        }
        guard available == expected else {
            throw DataError(.format, "IDX data has \(available - expected) bytes beyond dimensions \(shape)")
        }
        return (type, shape, start)
    }

    /// Decodes big-endian elements of `T`'s size through their bit pattern.
    private static func decode<T: TensorScalar>(_ payload: UnsafeRawBufferPointer, into tensor: inout Tensor,
                                                as type: T.Type, size: Int, _ convert: (UInt64) -> T) {
        tensor.withUnsafeMutableBufferPointer(as: T.self) { out in
            for i in out.indices {
                var bits: UInt64 = 0
                for b in 0..<size { bits = bits << 8 | UInt64(payload[i * size + b]) }
                out[i] = convert(bits)
            }
        }
    }
}
