/// A typed error for anything a user can get wrong while building, compiling or calling a graph.
///
/// Every error names the op (or API entry point), explains the shapes/dtypes involved, and
/// carries the user's source line where one is known.
public struct GraphError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The category of mistake.
    public enum Kind: String, Sendable, Equatable {
        /// Shapes do not fit the op (build time or run time).
        case shape
        /// Dtypes do not fit the op.
        case dtype
        /// An argument is out of range or inconsistent (axis, index, option).
        case argument
        /// A compiled function was called with wrong inputs (count, dtype, shape).
        case input
        /// A graph input needed by an output was not listed in `inputs:` or `givens:`.
        case missingInput
        /// `grad` asked for a variable the cost does not depend on.
        case disconnected
        /// An update, given or call that is not allowed (e.g. updating a non-shared variable).
        case invalidUpdate
        /// A value computed at run time is out of range (index out of bounds, ...).
        case runtime
        /// A file or tensor could not be read or converted.
        case data
    }

    public let kind: Kind
    /// The op or API entry point, e.g. `dot`, `function`, `call`.
    public let op: String
    /// What is wrong, with shapes and dtypes spelled out.
    public let message: String
    /// The user's source line, if known.
    public let location: SourceLocation?

    public init(_ kind: Kind, op: String, _ message: String, at location: SourceLocation? = nil) {
        self.kind = kind
        self.op = op
        self.message = message
        self.location = location
    }

    /// The same error attributed to `location` (kept if it already has one).
    package func located(at location: SourceLocation) -> GraphError {
        self.location != nil ? self : GraphError(kind, op: op, message, at: location)
    }

    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return "\(place)\(op): \(message) [\(kind.rawValue) error]"
    }
}
