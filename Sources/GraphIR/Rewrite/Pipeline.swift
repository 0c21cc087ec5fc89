/// How much the optimizer does.
package enum OptimizationMode: String, Sendable, Hashable {
    /// Every rule set with the standard budget.
    case fastRun
    /// Light canonicalization and the stability rules only, with a small budget.
    case fastCompile
    /// No rewriting (the graph is only verified), except rules named in `including:`.
    case none
}

/// One step of the graph pipeline.
package enum GraphPass: Sendable {
    /// Checks the graph's invariants (`verifyGraph`).
    case verify
    /// Runs a rule set to a fixpoint.
    case rewrite(RuleSet, RewriteBudget)
    /// Looks for known-unstable patterns left in the graph (`lintGraph`).
    case lint
}

/// The graph optimizer: an ordered array of passes (no priority database).
///
/// The standard order is verify → canonicalize → stabilize → specialize → cleanup
/// (canonicalize again) → verify → lint. If the final verification finds a problem, the
/// pipeline returns the graph it was given (unoptimized but correct) and says so.
package struct Pipeline: Sendable {
    package var passes: [GraphPass]

    package init(_ passes: [GraphPass]) { self.passes = passes }

    /// The standard pipeline for `mode`, with rules added (`including`, by name, from any rule
    /// set or the optional rules) or removed (`excluding`). Unknown names throw `.argument`.
    package static func standard(_ mode: OptimizationMode, including: Set<String> = [],
                                 excluding: Set<String> = []) throws(GraphError) -> Pipeline {
        let unknown = including.union(excluding).subtracting(RuleCatalog.allNames).sorted()
        guard unknown.isEmpty else {
            throw GraphError(.argument, op: "function", "unknown optimizer rule\(unknown.count == 1 ? "" : "s") "
                             + unknown.joined(separator: ", ") + "; known rules: "
                             + RuleCatalog.allNames.sorted().joined(separator: ", "))
        }
        let sets = RuleCatalog.sets(for: mode).map { set in
            set.including(including.intersection(RuleCatalog.home(of: set.name)), from: RuleCatalog.allRules)
                .excluding(excluding)
        }.filter { !$0.rules.isEmpty || $0.cse }
        let budget: RewriteBudget = mode == .fastRun ? .standard : .light
        return Pipeline([.verify] + sets.map { .rewrite($0, budget) } + [.verify, .lint])
    }

    /// Runs the passes on `graph`; the report lists what each did.
    package func run(_ graph: Graph, mode: String = "custom") -> (Graph, CompileReport) {
        var report = CompileReport(function: graph.name, mode: mode)
        var current = graph
        for pass in passes {
            let clock = ContinuousClock(), start = clock.now
            let before = current.nodes.count
            switch pass {
            case .verify:
                let problems = verifyGraph(current)
                var note: String? = nil
                if !problems.isEmpty {
                    note = "verification failed (\(problems[0])); using the unoptimized graph"
                    current = graph
                }
                report.passes.append(.init(name: "verify", duration: clock.now - start, nodesBefore: before,
                                           nodesAfter: current.nodes.count, fired: [], sweeps: 0, note: note))
            case .rewrite(let set, let budget):
                var driver = RewriteDriver(set, budget: budget)
                let outcome = driver.run(current)
                current = outcome.graph
                report.passes.append(.init(name: set.name, duration: clock.now - start, nodesBefore: before,
                                           nodesAfter: current.nodes.count, fired: outcome.fired,
                                           sweeps: outcome.sweeps, note: outcome.stopped))
            case .lint:
                report.warnings = lintGraph(current)
            }
        }
        return (current, report)
    }
}

/// The rule sets and where each rule lives.
package enum RuleCatalog {
    /// Canonicalization: constants, algebraic identities, shapes, casts, shape queries.
    package static let canonicalize = AlgebraRules.all + ShapeRules.all
    /// Numerical stabilization, forward and gradient forms.
    package static let stabilize = StabilizeRules.all + StableGradientRules.all
    /// Specialization.
    package static let specialize = SpecializeRules.all
    /// Rules no standard set runs; add them with `including:`.
    package static let optional = [OptionalRules.distributeMul]
    /// The canonicalization subset `.fastCompile` runs.
    static let light: Set<String> = ["constantFold", "negNeg", "mulOne", "addZero", "subZero", "divOne",
                                     "uselessDimshuffle", "uselessReshape", "uselessBroadcast", "uselessCast",
                                     "removeStopGradient", "dimensionConstant"]

    package static let allRules = canonicalize + stabilize + specialize + optional

    /// Every rule name (and `cse`).
    package static let allNames = Set(allRules.map(\.name) + ["cse"])

    /// The rule sets `mode` runs, in order.
    static func sets(for mode: OptimizationMode) -> [RuleSet] {
        switch mode {
        case .fastRun:
            return [RuleSet("canonicalize", canonicalize), RuleSet("stabilize", stabilize),
                    RuleSet("specialize", specialize), RuleSet("cleanup", canonicalize)]
        case .fastCompile:
            let light = canonicalize.filter { RuleCatalog.light.contains($0.name) }
            return [RuleSet("canonicalize", light), RuleSet("stabilize", stabilize),
                    RuleSet("specialize", [], cse: false), RuleSet("cleanup", light)]
        case .none:   // only what `including:` adds
            return ["canonicalize", "stabilize", "specialize"].map { RuleSet($0, [], cse: false) }
        }
    }

    /// The names of the rules whose home is the set named `set` (optional rules live in canonicalize).
    static func home(of set: String) -> Set<String> {
        switch set {
        case "canonicalize", "cleanup": return Set((canonicalize + optional).map(\.name) + ["cse"])
        case "stabilize": return Set(stabilize.map(\.name))
        case "specialize": return Set(specialize.map(\.name))
        default: return []
        }
    }
}

/// Rules left out of every standard set.
enum OptionalRules {
    // (a + b) · c → a·c + b·c,  c · (a + b) → c·a + c·b
    // (expands products of sums; exponential on nested products, so the node budget stops it)
    static let distributeMul = RewriteRule("distributeMul") { node, context in
        guard let (u, v) = node.operands(of: .mul) else { return nil }
        let b = RuleBuilder(node, context)
        if let (p, q) = u.operands(of: .add) { return b.add(b.mul(p, v), b.mul(q, v)) }
        if let (p, q) = v.operands(of: .add) { return b.add(b.mul(u, p), b.mul(u, q)) }
        return nil
    }
}
