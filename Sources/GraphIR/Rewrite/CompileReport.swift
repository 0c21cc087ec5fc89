import Foundation

/// What the graph optimizer did to one compiled function: per pass, the rules that fired
/// and how often, the time taken and the node counts; plus lint warnings about unstable
/// patterns left in the optimized graph.
public struct CompileReport: Sendable, CustomStringConvertible {
    /// One pass of the pipeline.
    public struct Pass: Sendable {
        public let name: String
        public let duration: Duration
        public let nodesBefore: Int
        public let nodesAfter: Int
        /// Rule name and times fired, in order of first firing (`cse` counts merged nodes).
        public let fired: [(rule: String, count: Int)]
        /// Sweeps over the graph (rewrite passes only).
        public let sweeps: Int
        /// Why the pass stopped early (a budget) or a problem it found; nil if none.
        public let note: String?
    }

    /// An unstable pattern still in the optimized graph, at the user's line.
    public struct Warning: Sendable, CustomStringConvertible {
        public let message: String
        public let location: SourceLocation
        /// Rules that produced the node, if the optimizer made it.
        public let rules: [String]

        public var description: String {
            let made = rules.isEmpty ? "" : " (made by \(rules.joined(separator: ", ")))"
            return "\(location): \(message)\(made)"
        }
    }

    public let function: String
    public let mode: String
    public internal(set) var passes: [Pass] = []
    public internal(set) var warnings: [Warning] = []

    package init(function: String, mode: String) {
        self.function = function
        self.mode = mode
    }

    /// Appends a stage after the rewrites (lowering, code generation, ...): a pass that fires
    /// no rule and leaves the node count as it is.
    package mutating func appendStage(_ name: String, duration: Duration, note: String? = nil) {
        passes.append(Pass(name: name, duration: duration, nodesBefore: nodesAfter, nodesAfter: nodesAfter,
                           fired: [], sweeps: 0, note: note))
    }

    /// Nodes before the first pass.
    public var nodesBefore: Int { passes.first?.nodesBefore ?? 0 }
    /// Nodes after the last pass.
    public var nodesAfter: Int { passes.last?.nodesAfter ?? 0 }

    /// Times each rule fired over all passes (in order of first firing).
    public var rulesFired: [(rule: String, count: Int)] {
        var order: [String] = [], counts: [String: Int] = [:]
        for pass in passes {
            for (rule, count) in pass.fired {
                if counts[rule] == nil { order.append(rule) }
                counts[rule, default: 0] += count
            }
        }
        return order.map { ($0, counts[$0]!) }
    }

    /// How often `rule` fired over all passes.
    public func count(of rule: String) -> Int {
        passes.reduce(0) { total, pass in total + pass.fired.filter { $0.rule == rule }.reduce(0) { $0 + $1.count } }
    }

    /// The report as text: a header, one block per pass, then the lint warnings.
    public var description: String {
        let total = passes.reduce(Duration.zero) { $0 + $1.duration }
        var lines = ["compile report @\(function) (\(mode)): \(nodesBefore) → \(nodesAfter) nodes in \(Self.text(total))"]
        for pass in passes {
            var line = "  \(pass.name.padding(toLength: 14, withPad: " ", startingAt: 0)) "
                + "\(Self.text(pass.duration).padding(toLength: 9, withPad: " ", startingAt: 0)) "
                + "\(pass.nodesBefore) → \(pass.nodesAfter) nodes"
            if pass.sweeps > 0 { line += ", \(pass.sweeps) sweep\(pass.sweeps == 1 ? "" : "s")" }
            lines.append(line)
            if !pass.fired.isEmpty {
                lines.append("      " + pass.fired.map { "\($0.rule) ×\($0.count)" }.joined(separator: ", "))
            }
            if let note = pass.note { lines.append("      note: \(note)") }
        }
        if warnings.isEmpty {
            lines.append("  lint: no known-unstable patterns left")
        } else {
            lines.append("  lint: \(warnings.count) warning\(warnings.count == 1 ? "" : "s")")
            lines += warnings.map { "    warning: \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `1.25 ms` / `830 µs`.
    private static func text(_ d: Duration) -> String {
        let micros = Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12
        if micros >= 1000 { return String(format: "%.2f ms", micros / 1000) }
        return String(format: "%.0f µs", micros)
    }
}
