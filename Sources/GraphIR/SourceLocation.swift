/// Where a user created a graph node: `#fileID` and `#line` of the API call.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let fileID: String
    public let line: Int

    public init(fileID: String, line: Int) {
        self.fileID = fileID
        self.line = line
    }

    /// A location for nodes Hypatia creates itself with no user call behind them.
    package static let `internal` = SourceLocation(fileID: "<hypatia>", line: 0)

    public var description: String { "\(fileID):\(line)" }
}
