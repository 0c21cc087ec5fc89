import Foundation

/// Whole-file reads and writes for the tensor file formats (the only use of Foundation here).
package enum FileIO {
    /// The bytes of the file at `path`; throws `TensorError(.io)` naming the path.
    package static func readBytes(atPath path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TensorError(.io, "cannot read '\(path)': no such file")
        }
        guard !isDirectory.boolValue else { throw TensorError(.io, "cannot read '\(path)': it is a directory") }
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw TensorError(.io, "cannot read '\(path)': \(error.localizedDescription)")
        }
    }

    /// Writes `bytes` to `path` atomically, replacing any file; throws `TensorError(.io)`.
    package static func write(_ bytes: [UInt8], toPath path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TensorError(.io, "cannot write '\(path)': \(error.localizedDescription)")
        }
    }
}
