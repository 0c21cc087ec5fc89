import TensorRuntime

/// A compiled function's graph: explicit inputs, the shared variables it reads, and outputs
/// (the user's outputs followed by the update values, in `updates` order).
package struct Graph: Sendable {
    package var name: String
    /// `.input` leaves in call order.
    package var inputs: [Node]
    /// Result nodes: the function's outputs, then one per update.
    package var outputs: [Node]
    /// How many of `outputs` are user outputs (the rest are update values).
    package var outputCount: Int
    /// The shared variables the update outputs write, in order; empty when not recorded
    /// (the printer then leaves the updates unnamed).
    package var updateTargets: [SharedStorage] = []

    package init(name: String, inputs: [Node], outputs: [Node], outputCount: Int) {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.outputCount = outputCount
    }

    /// Every node reachable from the outputs, inputs before users (deterministic order).
    package var nodes: [Node] { topologicalOrder(outputs) }

    /// The `.shared` leaves reachable from the outputs, in topological order.
    package var sharedInputs: [Node] {
        nodes.filter { if case .shared = $0.op { return true } else { return false } }
    }
}

/// Nodes reachable from `roots`, each after all of its inputs; ties broken by visit order.
package func topologicalOrder(_ roots: [Node]) -> [Node] {
    var order: [Node] = []
    var visited = Set<ObjectIdentifier>()
    // Iterative DFS (graphs from long unrolled loops can be deep).
    var stack: [(Node, Int)] = []
    for root in roots where !visited.contains(ObjectIdentifier(root)) {
        visited.insert(ObjectIdentifier(root))
        stack.append((root, 0))
        while let (node, next) = stack.last {
            if next < node.inputs.count {
                stack[stack.count - 1].1 += 1
                let child = node.inputs[next]
                if visited.insert(ObjectIdentifier(child)).inserted { stack.append((child, 0)) }
            } else {
                stack.removeLast()
                order.append(node)
            }
        }
    }
    return order
}

/// Runs a graph: the boundary between `function()` and an execution backend.
package protocol Backend: Sendable {
    /// Prepares `graph` for repeated calls.
    func compile(_ graph: Graph) throws -> any Executable
}

/// A prepared graph that can be called many times, from several threads at once.
package protocol Executable: Sendable {
    /// Runs with values for `graph.inputs` followed by `graph.sharedInputs` (same order) and
    /// returns the values of `graph.outputs`. Shared variables are not touched.
    func run(_ arguments: [Tensor]) throws -> [Tensor]
}
