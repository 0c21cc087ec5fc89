import Foundation
import GraphIR
import TensorRuntime

/// A symbolic tensor: a node of the computation graph, built by Hypatia's functions and
/// operators and compiled with `function(inputs:outputs:)`.
///
/// Variables are immutable. Building never throws: a variable whose dtypes or shapes do not
/// fit records the error (with the user's line), and `check()` or `function(...)` throws it.
/// Two variables are equal when they are the same graph node.
public class Variable: Hashable, CustomStringConvertible, @unchecked Sendable {
    /// The graph node this variable stands for.
    package let node: Node

    package init(_ node: Node) {
        self.node = node
    }

    /// The user's name for an input or shared variable; empty for computed variables.
    public var name: String {
        if case .input(let name, _) = node.op { return name }
        if case .shared(let storage) = node.op { return storage.name }
        return ""
    }

    /// The static type: dtype and a shape of constant or symbolic dims.
    public var type: TensorType { node.type }

    /// The element type.
    public var dtype: DType { node.type.dtype }

    /// The number of axes.
    public var rank: Int { node.type.rank }

    /// The symbolic shape: `shape[i]` is an int64 scalar variable holding the run-time extent.
    public var shape: SymbolicShape { SymbolicShape(node: node) }

    /// The transpose (axes reversed).
    public var T: Variable { Variable(Build.transpose(node, axes: nil, at: node.location)) }

    /// Throws the first error recorded while building this variable's subgraph.
    public func check() throws {
        try node.check()
    }

    /// The op that computes this variable and its type, e.g. `add : f32[?x0,10]`.
    public var description: String {
        let label = name.isEmpty ? "" : "\(name) = "
        let problem = node.error.map { " (error: \($0))" } ?? ""
        return "\(label)\(node.op.name) : \(node.type)\(problem)"
    }

    public static func == (a: Variable, b: Variable) -> Bool { a.node === b.node }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(node)) }
}

/// The symbolic shape of a variable; `shape[i]` is the run-time extent of axis `i`.
public struct SymbolicShape: Sendable {
    let node: Node

    /// The number of axes.
    public var count: Int { node.type.rank }

    /// The static dims (constants, or symbols for sizes known only at run time).
    public var dims: [Dim] { node.type.shape }

    /// The extent of `axis` (negative counts from the end) as an int64 scalar variable.
    public subscript(_ axis: Int, file file: String = #fileID, line line: Int = #line) -> Variable {
        Variable(Build.dimension(node, axis: axis, at: here(file, line)))
    }
}

/// A variable with a value that persists between calls (Theano's SharedVariable): model
/// parameters. Compiled functions read it and may update it through `updates:`.
public final class SharedVariable: Variable, @unchecked Sendable {
    package let storage: SharedStorage

    package init(storage: SharedStorage, node: Node) {
        self.storage = storage
        super.init(node)
    }

    /// The current value.
    public var value: Tensor { storage.value }

    /// The update a compiled function applies after each call when its `updates:` do not name
    /// this variable (Theano's `default_update`); nil for ordinary shared variables.
    package var defaultUpdate: Variable? {
        get { storage.defaultUpdate.map(Variable.init) }
        set { storage.defaultUpdate = newValue?.node }
    }

    /// A new variable reading this one's storage (same value, same updates) whose reads get
    /// their own default update `update(alias)`, applied by functions that reach the alias and
    /// not by those that reach only other nodes of the storage (Theano's default update on a
    /// `clone(share_inputs=False)`; Lasagne's batch norm moves its running averages this way).
    package func alias(defaultUpdate update: (SharedVariable) -> Variable,
                       file: String = #fileID, line: Int = #line) -> SharedVariable {
        let alias = SharedVariable(storage: storage, node: Build.shared(storage, at: here(file, line)))
        storage.setDefaultUpdate(update(alias).node, forAlias: alias.node)
        return alias
    }

    /// Replaces the value. The dtype must be the variable's and the shape must match its
    /// declared constant dims; otherwise throws `GraphError` (`.dtype` or `.shape`) and keeps
    /// the old value.
    public func setValue(_ newValue: Tensor, file: String = #fileID, line: Int = #line) throws {
        try validateValue(newValue, op: "setValue", at: here(file, line))
        storage.value = newValue
    }

    /// Throws unless `value` fits this variable's type.
    func validateValue(_ value: Tensor, op: String, at loc: SourceLocation) throws(GraphError) {
        let type = storage.type
        guard value.dtype == type.dtype else {
            throw GraphError(.dtype, op: op, "shared variable \(quoted(name)) has dtype \(type.dtype), "
                             + "got a \(value.dtype) value", at: loc)
        }
        guard Self.shape(value.shape, fits: type.shape) else {
            throw GraphError(.shape, op: op, "shared variable \(quoted(name)) has type \(type), "
                             + "got a value of shape \(value.shape)", at: loc)
        }
    }

    /// True if `shape` has the dims' rank and agrees with every constant dim.
    static func shape(_ shape: [Int], fits dims: [Dim]) -> Bool {
        guard shape.count == dims.count else { return false }
        return zip(shape, dims).allSatisfy { extent, dim in dim.constantValue.map { $0 == extent } ?? true }
    }
}

/// A name in quotes for messages, or `<unnamed>`.
func quoted(_ name: String) -> String {
    name.isEmpty ? "<unnamed>" : "\"\(name)\""
}
