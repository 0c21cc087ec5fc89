/// An error raised while reading or preparing a dataset.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, by category.
    public enum Kind: String, Sendable, Equatable {
        /// A file could not be found, read or written.
        case io
        /// The bytes are malformed: bad magic, unsupported type, extra data, corrupt compression.
        case format
        /// The data ends before its header says it should.
        case truncated
        /// An argument is out of range (batch size, split size, mismatched counts).
        case invalidArgument
    }

    /// The category.
    public let kind: Kind
    /// A human-readable explanation naming what is wrong.
    public let message: String
    /// The file involved, when there is one.
    public let path: String?

    /// An error of `kind`, optionally about the file at `path`.
    public init(_ kind: Kind, _ message: String, path: String? = nil) {
        self.kind = kind
        self.message = message
        self.path = path
    }

    /// The same error attributed to the file at `path`.
    public func at(_ path: String) -> DataError { DataError(kind, message, path: path) }

    /// `DataError.<kind>: <path>: <message>`.
    public var description: String {
        "DataError.\(kind.rawValue): " + (path.map { "\($0): " } ?? "") + message
    }
}
