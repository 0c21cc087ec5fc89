/// Reading and writing numpy `.npz` archives: zip files of `.npy` members.
///
/// Writing stores members uncompressed, in sorted name order, each named `<key>.npy`.
/// Reading accepts stored and deflated members (`numpy.savez` and `numpy.savez_compressed`);
/// keys are member names without the `.npy` suffix. Corrupt data throws
/// `TensorError(.format)` naming the member, file failures `TensorError(.io)`.

/// The tensors of the `.npz` archive at `path`, by name.
public func readNPZ(_ path: String) throws -> [String: Tensor] {
    let bytes = try FileIO.readBytes(atPath: path)
    do {
        return try readNPZ(data: bytes)
    } catch let error as TensorError {
        throw TensorError(error.kind, "\(path): \(error.message)")
    }
}

/// The tensors of an in-memory `.npz` archive, by name.
public func readNPZ(data bytes: [UInt8]) throws -> [String: Tensor] {
    var result: [String: Tensor] = [:]
    for member in try ZipArchive.read(bytes) {
        let key = member.name.hasSuffix(".npy") ? String(member.name.dropLast(4)) : member.name
        guard result[key] == nil else { throw TensorError(.format, "npz archive has two members named '\(key)'") }
        do {
            result[key] = try Tensor(npyData: member.data)
        } catch let error as TensorError {
            throw TensorError(error.kind, "npz member '\(member.name)': \(error.message)")
        }
    }
    return result
}

/// The bytes of an `.npz` archive holding `tensors` (stored, members in sorted name order).
public func npzData(_ tensors: [String: Tensor]) throws -> [UInt8] {
    let members = tensors.keys.sorted().map { key in
        ZipArchive.Member(name: key + ".npy", data: tensors[key]!.npyData())
    }
    return try ZipArchive.write(members)
}

/// Writes `tensors` to an `.npz` archive at `path`, replacing any file there.
public func writeNPZ(_ tensors: [String: Tensor], to path: String) throws {
    try FileIO.write(try npzData(tensors), toPath: path)
}
