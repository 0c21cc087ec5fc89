@_exported import GraphIR
@_exported import TensorRuntime

/// The error type of the symbolic API: every mistake a user can make while building,
/// compiling or calling a graph is a `GraphError` naming the op and the user's line.
public typealias HypatiaError = GraphError

/// The source location of a public API call (`#fileID`, `#line` of the caller).
@inline(__always)
func here(_ file: String, _ line: Int) -> SourceLocation {
    SourceLocation(fileID: file, line: line)
}
