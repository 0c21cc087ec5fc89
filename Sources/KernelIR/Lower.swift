import GraphIR
import TensorRuntime

/// Lowers a graph to an executable plan: fused loop kernels, library matrix products, and
/// reference-interpreter steps for what is not lowered yet (see `Schedule` for the fusion model).
///
/// Call arguments are `graph.inputs` then `graph.sharedInputs`; plan buffer k is argument k.
/// Throws the first error recorded in the graph, or `.missingInput` for an `.input` leaf the
/// outputs need that is not among the graph's inputs.
package func lower(_ graph: Graph) throws -> Plan {
    for output in graph.outputs { try output.check() }
    let arguments = graph.inputs + graph.sharedInputs
    let argumentSet = Set(arguments)
    for node in graph.nodes where !argumentSet.contains(node) {
        if case .input(let name, _) = node.op {
            throw GraphError(.missingInput, op: "function", "input '\(name)' is needed by the outputs "
                             + "but is not among the function's inputs", at: node.location)
        }
    }
    let schedule = try schedule(graph)
    var builder = PlanBuilder(schedule: schedule.schedule, internalNodes: schedule.internalNodes,
                              arguments: arguments)
    return try builder.build()
}

/// The schedule of a graph (after the lowering expansions) and the nodes those created.
package func schedule(_ graph: Graph) throws -> (schedule: Schedule, internalNodes: Set<Node>) {
    let (expanded, internalNodes, materialize) = LoweringExpansion.expand(graph)
    var scheduler = Scheduler(expanded)
    scheduler.materialized.formUnion(materialize)
    let schedule = try scheduler.run { group, materialized in
        _ = try GroupLowering.lower(group, materialized: materialized, internalNodes: internalNodes, name: "trial")
    }
    return (schedule, internalNodes)
}
