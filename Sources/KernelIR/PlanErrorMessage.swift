import Foundation
import GraphIR
import TensorRuntime

/// The user-facing error a failing `checkIndex` code stands for, built by the lowering.
///
/// `message` may mention run-time sizes as `{0}`, `{1}`, ...: they are replaced by `sizes`
/// evaluated with the call's dim bindings, e.g. `"index is out of bounds for axis 0 with size
/// {0}"` with `sizes: [?n]`.
package struct PlanErrorMessage: Hashable, Sendable {
    package var kind: GraphError.Kind
    /// The op the check belongs to (`advancedIndex`, ...).
    package var op: String
    package var message: String
    package var sizes: [Dim]
    /// The user's source line of the node that owns the check.
    package var location: SourceLocation?

    package init(kind: GraphError.Kind = .runtime, op: String, message: String, sizes: [Dim] = [],
                 location: SourceLocation? = nil) {
        self.kind = kind
        self.op = op
        self.message = message
        self.sizes = sizes
        self.location = location
    }

    /// The error with `{k}` placeholders filled from `bindings` (unknown sizes print symbolically).
    package func error(bindings: [DimSymbol: Int]) -> GraphError {
        var text = message
        for (k, dim) in sizes.enumerated() {
            let value = dim.evaluate(bindings).map(String.init) ?? dim.description
            text = text.replacingOccurrences(of: "{\(k)}", with: value)
        }
        return GraphError(kind, op: op, text, at: location)
    }

    /// `message` with the symbolic sizes filled in, for dumps.
    package var template: String {
        var text = message
        for (k, dim) in sizes.enumerated() { text = text.replacingOccurrences(of: "{\(k)}", with: dim.description) }
        return text
    }
}
