import Foundation

/// Everything one run measured, as written to the JSON file.
struct Report: Codable {
    let date: String
    let build: String
    let backend: String
    let threads: Int
    let quick: Bool
    let openblasCoretype: String?
    let cpusAllowed: String?
    let results: [Measurement]
    let notAvailable: [WorkloadID]
    /// The peer rows used for the ratios (1T, or 2T for `--threads 2`).
    let peers: [String: PeerRow]

    /// The rows of the printed table, one per requested workload.
    func table(_ workloads: [WorkloadID]) -> String {
        let header = ["workload", "unit", "ours min", "ours median", "best peer", "JAX", "PyTorch", "numpy",
                      "best/ours"]
        var rows = [header]
        for id in workloads {
            let peer = PeerTable.row(id, threads: threads)
            let ours = results.first { $0.workload == id }
            let ratio = zip(peer?.best, ours?.min).map { format($0 / $1) + "x" }
            rows.append([id.rawValue, id.unit.rawValue, ours.map { format($0.min) } ?? "n/a",
                         ours.map { format($0.median) } ?? "n/a", format(peer?.best), format(peer?.jax),
                         format(peer?.torch), format(peer?.numpy), ratio ?? "—"])
        }
        return render(rows)
    }
}

/// `zip` for optionals: both values or nil.
private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

/// A number with about three significant digits; "—" for nil.
func format(_ value: Double?) -> String {
    guard let value else { return "—" }
    let magnitude = Swift.abs(value)
    let decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : magnitude >= 0.01 ? 3 : 5
    return String(format: "%.\(decimals)f", value)
}

/// Rows as a Markdown table with padded columns (the first column left-aligned).
private func render(_ rows: [[String]]) -> String {
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
        let padded = cells.enumerated().map { i, cell in
            let fill = String(repeating: " ", count: widths[i] - cell.count)
            return i == 0 ? cell + fill : fill + cell
        }
        return "| " + padded.joined(separator: " | ") + " |"
    }
    let rule = "|" + widths.enumerated().map { i, w in
        i == 0 ? String(repeating: "-", count: w + 2) : String(repeating: "-", count: w + 1) + ":"
    }.joined(separator: "|") + "|"
    return ([line(rows[0]), rule] + rows.dropFirst().map(line)).joined(separator: "\n")
}

/// Writes `report` as pretty JSON to `path`, creating its folder.
func writeJSON(_ report: Report, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    try encoder.encode(report).write(to: url)
}

/// The CPUs this process may run on (`Cpus_allowed_list` of /proc/self/status), e.g. "0".
func allowedCPUs() -> String? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    let line = status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }
    return line.map { $0.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces) }
}
