import GraphIR
import TensorRuntime

extension Scheduler {
    /// Merges groups over the same iteration space into multi-output kernels (greedily, in
    /// topological order) when no other step depends on one and feeds the other, and the merged
    /// kernel lowers.
    ///
    /// Compatible spaces: equal domains and row axes; an elementwise group whose domain is the
    /// full domain of a row group with trailing row axes (its roots are stored by the last pass,
    /// contiguously); an elementwise group over the kept shape of a row group (stored after the
    /// passes).
    func merge(_ groups: [FusedGroup], aliases: [Node: Node], validate: GroupValidator) -> [FusedGroup] {
        var result: [FusedGroup?] = groups
        var graph = MergeGraph(StepGraph(self, groups: groups))
        var touching: [Node: [Int]] = [:]   // groups computing or loading each node
        for (i, group) in groups.enumerated() {
            let candidates = Set(touchedNodes(group).flatMap { touching[$0] ?? [] }).sorted()
            for j in candidates where result[j] != nil && compatible(result[j]!, group)
                && graph.independent(j, i) {
                let roots = (result[j]!.roots + group.roots).sorted { position[$0]! < position[$1]! }
                guard case .success(let candidate) = self.group(roots), !readsOwnView(candidate, aliases),
                      (try? validate(candidate, materialized)) != nil else { continue }
                result[j] = candidate
                result[i] = nil
                graph.contract(i, into: j)
                break
            }
            let owner = result[i] == nil ? graph.representative(i) : i
            for node in touchedNodes(group) { touching[node, default: []].append(owner) }
        }
        return result.compactMap { $0 }
    }

    /// The nodes a group computes or loads (groups sharing one are merge candidates).
    private func touchedNodes(_ group: FusedGroup) -> [Node] {
        group.inline + group.inline.flatMap(NodeFacts.dataInputs)
    }

    /// True when the group loads a view of one of its own roots (it would read the buffer it
    /// is writing).
    private func readsOwnView(_ group: FusedGroup, _ aliases: [Node: Node]) -> Bool {
        let roots = Set(group.roots)
        return group.inline.flatMap(NodeFacts.dataInputs).contains { input in
            !isInline(input, roots) && aliases[input].map(roots.contains) == true
        }
    }

    private func compatible(_ a: FusedGroup, _ b: FusedGroup) -> Bool {
        if (a.roots + b.roots).contains(where: { roles[$0] == .parts }) { return false }
        if a.domain == b.domain && a.rowAxes == b.rowAxes { return true }
        return fitsInto(a, b) || fitsInto(b, a)
    }

    /// True when the elementwise group `a` can become part of row group `b`.
    private func fitsInto(_ a: FusedGroup, _ b: FusedGroup) -> Bool {
        guard a.rowAxes.isEmpty, !b.rowAxes.isEmpty else { return false }
        if b.isOuterShape(a.domain) { return true }
        let trailing = Array((b.domain.count - b.rowAxes.count)..<b.domain.count)
        return a.domain == b.domain && b.rowAxes == trailing
    }

    /// All steps, each after the steps it reads from (and after the reference steps binding
    /// the dim symbols it uses); ties in the order of the steps' first outputs.
    func orderedSteps(_ groups: [FusedGroup], _ aliases: [Node: Node]) -> [ScheduledStep] {
        let graph = StepGraph(self, groups: groups)
        var remaining = graph.predecessors.map { Set($0).count }
        var successors = [[Int]](repeating: [], count: graph.steps.count)
        for (s, preds) in graph.predecessors.enumerated() { for p in Set(preds) { successors[p].append(s) } }
        var ready = Set(remaining.indices.filter { remaining[$0] == 0 })
        var result: [ScheduledStep] = []
        while let next = ready.min(by: { graph.rank[$0] < graph.rank[$1] }) {
            ready.remove(next)
            result.append(graph.steps[next])
            for s in successors[next] {
                remaining[s] -= 1
                if remaining[s] == 0 { ready.insert(s) }
            }
        }
        precondition(result.count == graph.steps.count, "cyclic schedule")
        return result
    }
}

/// The steps of a candidate schedule and their dependencies.
struct StepGraph {
    var steps: [ScheduledStep] = []
    /// For each step, the steps producing what it reads.
    var predecessors: [[Int]] = []
    /// Sort key: the position of the step's first output.
    var rank: [Int] = []
    private var producer: [Node: Int] = [:]

    init(_ s: Scheduler, groups: [FusedGroup]) {
        for group in groups { add(.kernel(group), outputs: group.roots, s) }
        for plan in s.gemms.values.sorted(by: { s.position[$0.output]! < s.position[$1.output]! }) {
            add(.gemm(plan), outputs: [plan.output], s)
        }
        for node in s.order where s.roles[node] == .reference { add(.reference(node), outputs: [node], s) }
        predecessors = steps.map { step in reads(step, s).compactMap { producer[sourceOf($0, s)] } }
    }

    private mutating func add(_ step: ScheduledStep, outputs: [Node], _ s: Scheduler) {
        for node in outputs { producer[node] = steps.count }
        rank.append(outputs.map { s.position[$0]! }.min()!)
        steps.append(step)
    }

    /// The node whose buffer backs `node` (through view aliases).
    private func sourceOf(_ node: Node, _ s: Scheduler) -> Node {
        var current = node
        while producer[current] == nil, s.materialized.contains(current), NodeFacts.isView(current),
              s.materialized.contains(current.inputs[0]) {
            current = current.inputs[0]
        }
        return current
    }

    /// The materialized nodes a step reads, plus the reference results binding its symbols.
    private func reads(_ step: ScheduledStep, _ s: Scheduler) -> [Node] {
        var nodes: [Node], dims: [Dim]
        switch step {
        case .kernel(let group):
            let cone = s.cone(group.roots), roots = Set(group.roots)
            nodes = cone.flatMap(NodeFacts.dataInputs).filter { !s.isInline($0, roots) }
            dims = cone.flatMap { $0.type.shape + $0.inputs.flatMap(\.type.shape) }
        case .gemm(let plan):
            nodes = [plan.a, plan.b]
            dims = plan.node.inputs.flatMap(\.type.shape)
        case .reference(let node):
            nodes = node.inputs
            dims = []
        }
        let binders = dims.flatMap(\.symbols).compactMap { s.symbolBinders[$0] }
        return nodes + binders.filter { b in !nodes.contains(b) }
    }
}

/// The step dependency graph while groups merge: merged steps are contracted into one.
struct MergeGraph {
    private var successors: [Set<Int>]
    private var predecessors: [Set<Int>]
    private var mergedInto: [Int: Int] = [:]

    init(_ steps: StepGraph) {
        predecessors = steps.predecessors.map { Set($0) }
        successors = [Set<Int>](repeating: [], count: steps.steps.count)
        for (s, preds) in predecessors.enumerated() { for p in preds { successors[p].insert(s) } }
    }

    /// The step a (possibly merged) step now belongs to.
    func representative(_ step: Int) -> Int {
        var s = step
        while let next = mergedInto[s] { s = next }
        return s
    }

    /// True when no other step lies on a dependency path between `a` and `b`.
    func independent(_ a: Int, _ b: Int) -> Bool {
        !reachesIndirectly(a, b) && !reachesIndirectly(b, a)
    }

    private func reachesIndirectly(_ from: Int, _ to: Int) -> Bool {
        var stack = Array(successors[from].filter { $0 != to }), seen = Set<Int>()
        while let next = stack.popLast() {
            if next == to { return true }
            guard seen.insert(next).inserted else { continue }
            stack.append(contentsOf: successors[next])
        }
        return false
    }

    /// Makes `step` part of `target`.
    mutating func contract(_ step: Int, into target: Int) {
        for p in predecessors[step] {
            successors[p].remove(step)
            if p != target { successors[p].insert(target); predecessors[target].insert(p) }
        }
        for s in successors[step] {
            predecessors[s].remove(step)
            if s != target { predecessors[s].insert(target); successors[target].insert(s) }
        }
        successors[target].remove(step)
        predecessors[target].remove(step)
        predecessors[step] = []
        successors[step] = []
        mergedInto[step] = target
    }
}
