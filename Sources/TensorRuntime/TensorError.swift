/// An error raised by tensor construction, conversion or file I/O.
public struct TensorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, by category.
    public enum Kind: String, Sendable, Equatable {
        /// The number of scalars does not match the shape.
        case scalarCount
        /// A shape is invalid (negative extent, wrong rank, ...).
        case shape
        /// A dtype is not supported for the operation or file.
        case dtype
        /// A file's contents are malformed or truncated.
        case format
        /// A file could not be read or written.
        case io
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "TensorError.\(kind.rawValue): \(message)" }
}
