import TensorRuntime

extension IDX {
    /// The IDX bytes of a tensor (uncompressed): uint8 → ubyte, int32 → int, float32 → float,
    /// float64 → double.
    ///
    /// Throws `DataError(.invalidArgument)` for other dtypes, more than 255 dimensions or an
    /// extent that does not fit in 32 bits.
    public static func encode(_ tensor: Tensor) throws -> [UInt8] {
        let type: ElementType
        switch tensor.dtype {
        case .uint8: type = .ubyte
        case .int32: type = .int
        case .float32: type = .float
        case .float64: type = .double
        case .int64, .bool:
            throw DataError(.invalidArgument, "IDX cannot store dtype \(tensor.dtype) (use uint8, int32, float32, float64)")
        }
        guard tensor.rank <= 255, tensor.shape.allSatisfy({ $0 <= Int(UInt32.max) }) else {
            throw DataError(.invalidArgument, "IDX cannot store shape \(tensor.shape)")
        }
        var out: [UInt8] = [0, 0, type.rawValue, UInt8(tensor.rank)]
        out.reserveCapacity(4 + 4 * tensor.rank + tensor.count * type.size)
        for extent in tensor.shape { out += bigEndian(UInt64(extent), size: 4) }
        tensor.withUnsafeRawBuffer { raw in
            if type == .ubyte { out += raw; return }
            for i in 0..<tensor.count {
                let bits: UInt64 = type.size == 8
                    ? raw.load(fromByteOffset: i * 8, as: UInt64.self)
                    : UInt64(raw.load(fromByteOffset: i * 4, as: UInt32.self))
                out += bigEndian(bits, size: type.size)
            }
        }
        return out
    }

    /// Writes a tensor as an uncompressed IDX file.
    public static func write(_ tensor: Tensor, to path: String) throws {
        try writeFile(try encode(tensor), to: path)
    }

    private static func bigEndian(_ value: UInt64, size: Int) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * (size - 1 - $0))) }
    }
}

/// The bytes of the file at `path`; `DataError(.io)` if it cannot be read.
func readFile(_ path: String) throws -> [UInt8] {
    do {
        return try FileIO.readBytes(atPath: path)
    } catch let error as TensorError {
        throw DataError(.io, error.message, path: path)
    }
}

/// Writes `bytes` to `path`; `DataError(.io)` if it cannot be written.
func writeFile(_ bytes: [UInt8], to path: String) throws {
    do {
        try FileIO.write(bytes, toPath: path)
    } catch let error as TensorError {
        throw DataError(.io, error.message, path: path)
    }
}
