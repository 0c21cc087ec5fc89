import GraphIR
import TensorRuntime

/// Lowers a group on trial (its `inline` nodes set), throwing `FusionFailure` for a value it
/// cannot compute inline; the second argument is the current materialized set.
typealias GroupValidator = (FusedGroup, Set<Node>) throws -> Void

/// Partitions a graph into steps (see `Schedule`).
///
/// The only real decision is the set of materialized values; everything else follows. It starts
/// with what must have a buffer (graph outputs, operands and results of library products and
/// reference steps) and grows it until every kernel can be generated:
/// 1. each materialized value computed by a kernel roots a group; a group whose reductions do not
///    share one iteration space materializes the input of its outermost reduction;
/// 2. groups over the same space merge (sibling outputs share one loop nest) when no other step
///    sits between them;
/// 3. a value recomputed by several kernels is materialized when recomputing it is expensive
///    (see `RecomputeCost`); reductions always are;
/// 4. every group is lowered on trial, and a value the kernel cannot compute inline (a reduction
///    read at another row) is materialized.
struct Scheduler {
    let graph: Graph
    /// Nodes in topological order and their positions.
    let order: [Node]
    let position: [Node: Int]
    /// Data users of each node (distinct, in topological order).
    let users: [Node: [Node]]
    let roles: [Node: NodeRole]
    /// Library products by output node.
    let gemms: [Node: GemmPlan]
    /// Reference nodes whose results bind dim symbols first seen in their types.
    let symbolBinders: [DimSymbol: Node]
    var materialized: Set<Node> = []

    init(_ graph: Graph) {
        self.graph = graph
        order = graph.nodes
        var position: [Node: Int] = [:]
        for (i, node) in order.enumerated() { position[node] = i }
        self.position = position
        var users: [Node: [Node]] = [:]
        for node in order {
            for input in Set(NodeFacts.dataInputs(node)) { users[input, default: []].append(node) }
        }
        self.users = users
        (roles, symbolBinders) = Self.assignRoles(graph, order)
        let outputs = Set(graph.outputs)
        var gemms: [Node: GemmPlan] = [:]
        for node in order where roles[node] == .gemm {
            let plan = GemmFolding.plan(node, users: users, outputs: outputs)
            gemms[plan.output] = plan
        }
        self.gemms = gemms
        materialized = initialMaterialized()
    }

    /// Roles in topological order; a reference result makes the symbols of its type known.
    private static func assignRoles(_ graph: Graph, _ order: [Node]) -> ([Node: NodeRole], [DimSymbol: Node]) {
        var known = Set<DimSymbol>()
        for leaf in graph.inputs + graph.sharedInputs {
            for d in leaf.type.shape { known.formUnion(d.symbols) }
        }
        var roles: [Node: NodeRole] = [:], binders: [DimSymbol: Node] = [:]
        for node in order {
            let role = NodeFacts.role(node, known: known)
            roles[node] = role
            guard role == .reference || role == .leaf else { continue }
            for s in node.type.shape.flatMap(\.symbols) where !known.contains(s) {
                known.insert(s)
                if role == .reference { binders[s] = node }
            }
        }
        return (roles, binders)
    }

    /// What must have a buffer whatever the fusion: outputs, argument leaves, non-uniform
    /// constants, and the operands and results of library and reference steps.
    private func initialMaterialized() -> Set<Node> {
        var result = Set(graph.outputs)
        for node in order {
            switch roles[node]! {
            case .leaf:
                if NodeFacts.uniformConstant(node) == nil { result.insert(node) }
            case .reference:
                result.insert(node)
                result.formUnion(node.inputs)
            case .parts:
                result.insert(node)
            case .gemm, .fusible, .reduction:
                break
            }
        }
        for plan in gemms.values { result.formUnion([plan.output, plan.a, plan.b]) }
        return result
    }

    /// Runs the fixpoint; `validate` lowers a group on trial and throws `FusionFailure`.
    mutating func run(validate: GroupValidator) throws -> Schedule {
        for _ in 0...order.count {
            let aliases = viewAliases()
            var groups: [FusedGroup] = []
            var conflict: Node?
            for roots in kernelRoots(aliases).map({ [$0] }) {
                switch group(roots) {
                case .success(let g): groups.append(g)
                case .failure(let failure): conflict = conflict ?? failure.node
                }
            }
            if let conflict { materialized.insert(conflict); continue }
            groups = merge(groups, aliases: aliases, validate: validate)
            if let shared = expensiveSharedValue(groups) { materialized.insert(shared); continue }
            if let failed = firstInvalid(groups, validate) { materialized.insert(failed); continue }
            return Schedule(graph: graph, materialized: materialized, aliases: aliases,
                            steps: orderedSteps(groups, aliases))
        }
        preconditionFailure("scheduler did not converge for \(graph.name)")
    }

    /// Materialized nodes computed by kernels, in topological order.
    private func kernelRoots(_ aliases: [Node: Node]) -> [Node] {
        order.filter { node in
            guard materialized.contains(node), aliases[node] == nil, gemms[node] == nil else { return false }
            return roles[node] == .fusible || roles[node] == .reduction || roles[node] == .parts
        }
    }

    /// Materialized views (reshape-like ops) of materialized values: they share the buffer.
    private func viewAliases() -> [Node: Node] {
        var aliases: [Node: Node] = [:]
        for node in order where materialized.contains(node) && NodeFacts.isView(node) && gemms[node] == nil {
            let source = node.inputs[0]
            if materialized.contains(source) { aliases[node] = aliases[source] ?? source }
        }
        return aliases
    }

    /// The first value a group cannot compute inline, found by lowering each group on trial.
    private func firstInvalid(_ groups: [FusedGroup], _ validate: GroupValidator) -> Node? {
        for group in groups {
            do {
                try validate(group, materialized)
            } catch let failure as FusionFailure {
                return failure.node
            } catch {
                preconditionFailure("trial lowering threw \(error)")
            }
        }
        return nil
    }
}
