import Synchronization
import TensorRuntime

private let nodeCounter = Atomic<Int>(0)

/// One immutable node of the graph: an op applied to input nodes, with its static type and
/// the user's source location.
///
/// Nodes are compared by identity. A node whose type rule failed records the error (and
/// every node built on it inherits the first error): building never throws, and
/// `function(...)` or `check()` reports the error with the user's line.
package final class Node: Hashable, @unchecked Sendable, CustomStringConvertible {
    package let op: Op
    package let inputs: [Node]
    package let type: TensorType
    package let location: SourceLocation
    /// Creation order, unique in the process; gives deterministic orderings.
    package let id: Int
    /// The first error in this node's subgraph, if any.
    package let error: GraphError?
    /// Provenance of optimizer-made nodes: the rewrite rules that produced this node (in the
    /// order applied); empty for nodes the user or autodiff built. `location` is then the
    /// user's line of the node the rules replaced.
    package let rules: [String]

    private init(op: Op, inputs: [Node], type: TensorType, location: SourceLocation, error: GraphError?,
                 rules: [String] = []) {
        self.op = op
        self.inputs = inputs
        self.type = type
        self.location = location
        self.error = error
        self.rules = rules
        id = nodeCounter.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// Builds a node, running the op's type rule. An input's error, or a failing type rule,
    /// is recorded on the node (its type is then a placeholder: the first input's, or f32[]).
    /// `rules` records the rewrite rules that made the node (see `rules`).
    package static func make(_ op: Op, _ inputs: [Node], at location: SourceLocation,
                             rules: [String] = []) -> Node {
        if let inherited = inputs.first(where: { $0.error != nil })?.error {
            return Node(op: op, inputs: inputs, type: inputs.first?.type ?? .scalar(.float32),
                        location: location, error: inherited, rules: rules)
        }
        do {
            let type = try inferType(op, inputs.map(\.type))
            return Node(op: op, inputs: inputs, type: type, location: location, error: nil, rules: rules)
        } catch {
            return Node(op: op, inputs: inputs, type: inputs.first?.type ?? .scalar(.float32),
                        location: location, error: error.located(at: location), rules: rules)
        }
    }

    /// The id the most recently created node got (any node made later has a larger id).
    package static var latestID: Int { nodeCounter.load(ordering: .relaxed) }

    /// A node that carries `error` (for mistakes found before any type rule can run).
    package static func failed(_ error: GraphError, type: TensorType = .scalar(.float32), inputs: [Node] = [],
                               at location: SourceLocation) -> Node {
        Node(op: .stopGradient, inputs: inputs, type: type, location: location, error: error.located(at: location))
    }

    /// Throws the first error recorded in this node's subgraph.
    package func check() throws(GraphError) {
        if let error { throw error }
    }

    package static func == (a: Node, b: Node) -> Bool { a === b }
    package func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    package var description: String { "%\(id) = \(op.name) : \(type)" }
}
