/// Writes the values of `allParameters(of: layer)` to a numpy `.npz` archive at `path`, as
/// `arr_0`, `arr_1`, ... in that order (what `numpy.savez(path, *values)` writes, so
/// `np.load(path)["arr_0"]` reads the first). Throws `TensorError(.io)` if the file cannot be
/// written.
public func saveParameters(of layer: any Layer, to path: String) throws {
    let values = parameterValues(of: layer)
    var archive: [String: Tensor] = [:]
    for (index, value) in values.enumerated() { archive["arr_\(index)"] = value }
    try writeNPZ(archive, to: path)
}

/// Loads parameter values saved by `saveParameters` (or `numpy.savez(path, *values)`) into
/// `allParameters(of: layer)`. All or nothing: throws `TensorError` for an unreadable or
/// corrupt file, `GraphError(.argument)` when the archive's members are not exactly
/// `arr_0 ..< arr_n` for the network's n parameters, and `.shape`/`.dtype` when a value does
/// not fit its parameter; no parameter changes then.
public func loadParameters(of layer: any Layer, from path: String,
                           file: String = #fileID, line: Int = #line) throws {
    let archive = try readNPZ(path)
    let count = allParameters(of: layer).count
    let expected = Set((0..<count).map { "arr_\($0)" })
    guard Set(archive.keys) == expected else {
        let names = archive.keys.sorted().joined(separator: ", ")
        throw GraphError(.argument, op: "loadParameters",
                         "\(path) holds [\(names)], the network has \(count) parameters (arr_0 ..< arr_\(count))",
                         at: here(file, line))
    }
    try setParameterValues(of: layer, (0..<count).map { archive["arr_\($0)"]! }, file: file, line: line)
}
