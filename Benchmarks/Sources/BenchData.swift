import Foundation
import Hypatia

/// The inputs in `Benchmarks/data` (copied from `bench/data`, made by `make_data.py`).
struct BenchData: Sendable {
    let directory: String

    /// Reads `<directory>/<name>.npy` through TensorRuntime's NPY reader.
    func npy(_ name: String) throws -> Tensor {
        let path = (directory as NSString).appendingPathComponent("\(name).npy")
        do {
            return try Tensor(contentsOfNPY: path)
        } catch {
            throw BenchFailure("cannot read \(path): \(error)")
        }
    }

    /// The value of `key` in `expected.json` (the float64 first-step losses).
    func expected(_ key: String) throws -> Double {
        let path = (directory as NSString).appendingPathComponent("expected.json")
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw BenchFailure("cannot read \(path)")
        }
        guard let table = try? JSONDecoder().decode([String: Double].self, from: bytes), let value = table[key] else {
            throw BenchFailure("\(path) has no number \"\(key)\"")
        }
        return value
    }
}
