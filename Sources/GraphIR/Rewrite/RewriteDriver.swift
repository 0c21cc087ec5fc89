/// Limits that guarantee a rewrite pass terminates and cannot blow the graph up.
package struct RewriteBudget: Sendable, Hashable {
    /// Whole-graph sweeps before the pass stops (a fixpoint usually needs 2–4).
    package var maxSweeps: Int
    /// Rewrites applied in a row at one node within a sweep.
    package var maxRewritesPerNode: Int
    /// The graph may grow to `growthFactor` × its size before the pass, plus `slack` nodes.
    package var growthFactor: Double
    /// Nodes the rules may create in one pass: `creationFactor` × the graph's size, plus `slack`.
    package var creationFactor: Double
    package var slack: Int

    package init(maxSweeps: Int = 24, maxRewritesPerNode: Int = 16, growthFactor: Double = 2,
                 creationFactor: Double = 8, slack: Int = 256) {
        self.maxSweeps = maxSweeps
        self.maxRewritesPerNode = maxRewritesPerNode
        self.growthFactor = growthFactor
        self.creationFactor = creationFactor
        self.slack = slack
    }

    /// The budget of a `.fastRun` pass.
    package static let standard = RewriteBudget()
    /// A smaller budget for `.fastCompile`.
    package static let light = RewriteBudget(maxSweeps: 6, maxRewritesPerNode: 4, growthFactor: 1.5,
                                             creationFactor: 2, slack: 64)
}

/// The result of running one rule set to a fixpoint.
package struct RewriteOutcome: Sendable {
    package var graph: Graph
    /// Rule name → times it fired, in order of first firing (`cse` counts merged nodes).
    package var fired: [(rule: String, count: Int)]
    /// Complete sweeps over the graph (the last one changed nothing unless a budget stopped it).
    package var sweeps: Int
    /// Why the pass stopped early (a budget), or nil if it reached a fixpoint.
    package var stopped: String?
}

/// Rewrites a graph with a rule set until nothing changes or a budget runs out.
///
/// Each sweep visits the nodes inputs-first, rebuilds a node whose inputs changed (keeping
/// its location and provenance), hash-conses it (when the set has `cse`), then applies the
/// first rule that matches, repeatedly. Every node a rule creates is rebuilt at the replaced
/// node's location with the rule appended to its `rules`, so errors still name the user's line.
/// A replacement with a different type or a recorded error is discarded. Over a budget, the
/// sweep in progress is dropped: the graph stays as the last complete sweep left it (every
/// rewrite preserves values, so it is correct).
package struct RewriteDriver {
    let ruleSet: RuleSet
    let budget: RewriteBudget
    /// Nodes kept exactly as they are (not rebuilt, merged or rewritten).
    let frozen: Set<ObjectIdentifier>
    private var table = HashConsTable()
    private var counts: [String: Int] = [:]
    private var firstFired: [String] = []
    private var created = 0
    private var creationLimit = 0
    private var changed = false

    package init(_ ruleSet: RuleSet, budget: RewriteBudget = .standard, frozen: [Node] = []) {
        self.ruleSet = ruleSet
        self.budget = budget
        self.frozen = Set(frozen.map(ObjectIdentifier.init))
    }

    /// Runs the rule set on `graph` to a fixpoint (or until a budget stops it).
    package mutating func run(_ graph: Graph) -> RewriteOutcome {
        let before = graph.nodes.count
        let growthLimit = Int(Double(before) * budget.growthFactor) + budget.slack
        creationLimit = Int(Double(before) * budget.creationFactor) + budget.slack
        let context = RewriteContext(leaves: Self.leaves(graph))
        var current = graph, sweeps = 0, stopped: String?
        while sweeps < budget.maxSweeps {
            let saved = (counts, firstFired)
            changed = false
            guard let outputs = sweep(current.outputs, context) else {
                (counts, firstFired) = saved
                stopped = "node budget exceeded: rules created more than \(creationLimit) nodes; "
                    + "kept the graph of sweep \(sweeps)"
                break
            }
            let size = topologicalOrder(outputs).count
            if size > growthLimit {
                (counts, firstFired) = saved
                stopped = "node budget exceeded: the graph grew to \(size) nodes (limit \(growthLimit)); "
                    + "kept the graph of sweep \(sweeps)"
                break
            }
            current.outputs = outputs
            sweeps += 1
            if !changed { break }
            if sweeps == budget.maxSweeps { stopped = "iteration budget of \(budget.maxSweeps) sweeps reached" }
        }
        return RewriteOutcome(graph: current, fired: firstFired.map { ($0, counts[$0]!) }, sweeps: sweeps,
                              stopped: stopped)
    }

    /// The graph's inputs, then every other input or shared leaf, in topological order.
    private static func leaves(_ graph: Graph) -> [Node] {
        graph.inputs + graph.nodes.filter(\.isParameter)
    }

    /// One pass over the nodes of `outputs`; nil if the creation budget ran out.
    private mutating func sweep(_ outputs: [Node], _ context: RewriteContext) -> [Node]? {
        let order = topologicalOrder(outputs)
        var uses: [ObjectIdentifier: Int] = [:]
        for node in order { for input in node.inputs { uses[ObjectIdentifier(input), default: 0] += 1 } }
        for output in outputs { uses[ObjectIdentifier(output), default: 0] += 1 }
        context.resetUses()
        var memo: [ObjectIdentifier: Node] = [:]
        for node in order {
            let id = ObjectIdentifier(node)
            if frozen.contains(id) {
                memo[id] = node
                continue
            }
            var current = rebuild(node, inputs: node.inputs.map { memo[ObjectIdentifier($0)]! })
            context.addUses(uses[id] ?? 0, to: current)
            if current.error == nil {
                let rewritten = rewriteLocally(current, context)
                if created > creationLimit { return nil }
                if rewritten !== current { context.addUses(uses[id] ?? 0, to: rewritten) }
                current = rewritten
            }
            memo[id] = current
        }
        return outputs.map { memo[ObjectIdentifier($0)]! }
    }

    /// `node` with `inputs` (itself when they are its own), hash-consed.
    private mutating func rebuild(_ node: Node, inputs: [Node]) -> Node {
        let same = zip(inputs, node.inputs).allSatisfy { $0 === $1 }
        let candidate = same ? node : Node.make(node.op, inputs, at: node.location, rules: node.rules)
        guard ruleSet.cse, candidate.error == nil else { return candidate }
        let kept = table.intern(candidate)
        if kept !== candidate {
            record("cse")
        }
        return kept
    }

    /// Applies the first matching rule to `node`, then again to the result, up to the budget.
    private mutating func rewriteLocally(_ node: Node, _ context: RewriteContext) -> Node {
        var current = node
        var steps = 0
        search: while steps < budget.maxRewritesPerNode {
            for rule in ruleSet.rules {
                let mark = Node.latestID
                guard let candidate = rule.apply(current, context), candidate !== current,
                      let replacement = Self.fitted(candidate, to: current.type) else { continue }
                current = stamp(replacement, after: mark, replacing: current, rule: rule.name)
                record(rule.name)
                steps += 1
                if created > creationLimit { return current }
                continue search
            }
            break
        }
        return current
    }

    /// `replacement` if it has `type`; relabelled by a reshape if only the spelling of its
    /// dims differs (`?a` for `?b`, `2` for `?n`: sizes that must agree at run time), so the
    /// types downstream stay as they were; nil if it has an error or another dtype or rank.
    private static func fitted(_ replacement: Node, to type: TensorType) -> Node? {
        guard replacement.error == nil else { return nil }
        if replacement.type == type { return replacement }
        guard replacement.type.dtype == type.dtype, replacement.type.rank == type.rank,
              zip(replacement.type.shape, type.shape).allSatisfy({ Dim.unify($0, $1) != nil }) else { return nil }
        let relabelled = Node.make(.reshape(type.shape), [replacement], at: replacement.location)
        return relabelled.error == nil && relabelled.type == type ? relabelled : nil
    }

    /// `replacement` with every node created after `mark` rebuilt at `replaced`'s location,
    /// its provenance extended by `rule`, and hash-consed.
    private mutating func stamp(_ replacement: Node, after mark: Int, replacing replaced: Node,
                                rule: String) -> Node {
        let provenance = replaced.rules.contains(rule) ? replaced.rules : replaced.rules + [rule]
        var memo: [ObjectIdentifier: Node] = [:]
        func visit(_ node: Node) -> Node {
            if node.id <= mark { return node }
            if let done = memo[ObjectIdentifier(node)] { return done }
            let made = Node.make(node.op, node.inputs.map(visit), at: replaced.location, rules: provenance)
            created += 1
            let kept = ruleSet.cse ? table.intern(made) : made
            memo[ObjectIdentifier(node)] = kept
            return kept
        }
        return visit(replacement)
    }

    /// Counts one firing of `rule` (and marks the sweep as having changed the graph).
    private mutating func record(_ rule: String) {
        changed = true
        if counts[rule] == nil { firstFired.append(rule) }
        counts[rule, default: 0] += 1
    }
}
