/// A named local rewrite: given a node whose inputs are already rewritten, a replacement that
/// computes the same values (same dtype and shape), or nil when the rule does not apply.
///
/// Rules are pure functions of the node and the context; the driver (`RewriteDriver`) checks
/// the replacement's type, stamps provenance on every node the rule created and hash-conses
/// them. Each rule's definition states its identity in a comment, e.g.
/// `// log(softmax(x)) → logSoftmax(x)`.
package struct RewriteRule: Sendable {
    /// The name used in reports and in `including:` / `excluding:` lists.
    package let name: String
    let apply: @Sendable (Node, RewriteContext) -> Node?

    package init(_ name: String, _ apply: @escaping @Sendable (Node, RewriteContext) -> Node?) {
        self.name = name
        self.apply = apply
    }
}

/// An ordered list of rules run together to a fixpoint by one rewrite pass.
///
/// At each node the rules are tried in order and the first that applies wins; the driver
/// then tries them again on the replacement. `cse` turns hash-consing (common-subexpression
/// elimination, reported as the rule `cse`) on for the pass.
package struct RuleSet: Sendable {
    package var name: String
    package var rules: [RewriteRule]
    package var cse: Bool

    package init(_ name: String, _ rules: [RewriteRule], cse: Bool = true) {
        self.name = name
        self.rules = rules
        self.cse = cse
    }

    /// The names of the rules, in order (with `cse` first when hash-consing is on).
    package var ruleNames: [String] { (cse ? ["cse"] : []) + rules.map(\.name) }

    /// Both sets' rules in order (a rule named in both is kept once, at its first place).
    package static func + (a: RuleSet, b: RuleSet) -> RuleSet {
        let names = Set(a.rules.map(\.name))
        return RuleSet("\(a.name)+\(b.name)", a.rules + b.rules.filter { !names.contains($0.name) },
                       cse: a.cse || b.cse)
    }

    /// This set without the rules named in `names` (`cse` turns hash-consing off).
    package func excluding(_ names: Set<String>) -> RuleSet {
        RuleSet(name, rules.filter { !names.contains($0.name) }, cse: cse && !names.contains("cse"))
    }

    /// This set plus the rules of `candidates` named in `names` that it lacks (appended).
    package func including(_ names: Set<String>, from candidates: [RewriteRule]) -> RuleSet {
        let present = Set(rules.map(\.name))
        let extra = candidates.filter { names.contains($0.name) && !present.contains($0.name) }
        return RuleSet(name, rules + extra, cse: cse || names.contains("cse"))
    }
}

/// What rules may ask about the graph being rewritten (rebuilt for every sweep).
package final class RewriteContext: @unchecked Sendable {
    /// How many consumers each node of the current sweep has (graph outputs count as one).
    private var uses: [ObjectIdentifier: Int] = [:]
    /// For each dim symbol, a leaf (input or shared variable) with an axis of that size.
    package let symbolSources: [DimSymbol: (node: Node, axis: Int)]

    /// A context whose symbols are defined by `leaves` (earlier leaves win).
    init(leaves: [Node]) {
        var sources: [DimSymbol: (node: Node, axis: Int)] = [:]
        for leaf in leaves {
            for (axis, dim) in leaf.type.shape.enumerated() {
                if case .symbol(let s) = dim, sources[s] == nil { sources[s] = (leaf, axis) }
            }
        }
        symbolSources = sources
    }

    /// True if `node` has at most one consumer in the graph (unknown nodes count as one).
    package func hasSingleUse(_ node: Node) -> Bool { (uses[ObjectIdentifier(node)] ?? 1) <= 1 }

    /// True if every symbol of `dims` is the size of some input or shared variable, so it is
    /// bound before any node runs.
    package func isBound(_ dims: [Dim]) -> Bool {
        dims.allSatisfy { $0.symbols.allSatisfy { symbolSources[$0] != nil } }
    }

    /// Forgets the use counts (at the start of a sweep).
    func resetUses() { uses = [:] }

    /// Adds `count` uses to `node`.
    func addUses(_ count: Int, to node: Node) { uses[ObjectIdentifier(node), default: 0] += count }
}
