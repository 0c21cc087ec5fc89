import TensorRuntime

/// Constructors for graph nodes with numpy-style conveniences made explicit in the graph.
///
/// Everything here returns a `Node` and never throws: a mistake is recorded on the node (see
/// `Node.make`). Broadcasting inserts `.broadcast` nodes, dtype promotion inserts casts, so
/// primitive ops always see same-shaped, same-dtype operands. Both the public API and autodiff
/// build through these functions.
package enum Build {}

extension Build {
    /// A node recording `error`, or the first error already recorded on one of `inputs`
    /// (the user should see the earliest mistake). Its type is `type`, else the first input's.
    static func failure(_ error: GraphError, _ inputs: [Node], type: TensorType? = nil,
                        at loc: SourceLocation) -> Node {
        let inherited = inputs.first(where: { $0.error != nil })?.error
        return Node.failed(inherited ?? error, type: type ?? inputs.first?.type ?? .scalar(.float32),
                           inputs: inputs, at: loc)
    }

    /// `[2,?,3]` for messages about user-given shapes (nil extents print as `?`).
    static func describe(_ shape: [Int?]) -> String {
        "[" + shape.map { $0.map(String.init) ?? "?" }.joined(separator: ",") + "]"
    }

    /// `[?x0,10]` for messages about dims.
    static func describe(_ dims: [Dim]) -> String {
        "[" + dims.map(\.description).joined(separator: ",") + "]"
    }
}

/// Marks code another engineer is writing right now; never called in finished code.
package func unimplemented(_ what: String = #function) -> Never {
    fatalError("unimplemented: \(what)")
}
