/// The values of some shared variables at one moment, to put back later (early stopping keeps
/// the parameters of the best validation score this way).
///
/// Taking a snapshot copies nothing: `Tensor` is copy-on-write and a compiled function's
/// updates replace a shared variable's value rather than writing into it.
public struct ParameterSnapshot: Sendable {
    /// The variables, in the order given.
    public let variables: [SharedVariable]
    /// Their values when the snapshot was taken, aligned with `variables`.
    public let values: [Tensor]

    /// The current values of `variables`.
    public init(_ variables: [SharedVariable]) {
        self.variables = variables
        values = variables.map(\.value)
    }

    /// Sets every variable back to its value in the snapshot.
    public func restore() throws {
        for (variable, value) in zip(variables, values) { try variable.setValue(value) }
    }
}
