import GraphIR
import Testing
import TensorRuntime

/// The fixpoint driver: budgets that guarantee termination, type checks on replacements,
/// frozen nodes, and the stabilized cost `gradients` differentiates.
@Suite struct RewriteDriverTests {
    /// (…((x + a₀)·(c₀ + d₀) + a₁)·(c₁ + d₁) …): distributing expands it to 4ᵏ monomials.
    static func nestedProducts(depth: Int) -> (Graph, [RW.Arg]) {
        let args = [RW.Arg.f("x", [3])] + (0..<depth).flatMap { k in
            ["a", "c", "d"].map { RW.Arg.f("\($0)\(k)", [3], -1...1, symbolic: false) }
        }
        let graph = RW.graph(args, name: "nested") { v in
            var p = v[0]
            for k in 0..<depth {
                let (a, c, d) = (v[1 + 3 * k], v[2 + 3 * k], v[3 + 3 * k])
                p = RW.mul(RW.add(p, a), RW.add(c, d))
            }
            return [p]
        }
        return (graph, args)
    }

    @Test func distributionBlowUpStaysInsideTheBudget() throws {
        let (graph, args) = Self.nestedProducts(depth: 8)
        let before = graph.nodes.count
        let budget = RewriteBudget.standard
        let outcome = RW.rewrite(graph, ["distributeMul"], budget: budget)
        let stopped = try #require(outcome.stopped)
        #expect(stopped.contains("node budget exceeded"), "\(stopped)")
        let limit = Int(Double(before) * budget.growthFactor) + budget.slack
        #expect(outcome.graph.nodes.count <= limit)
        let values = RW.values(args)
        let want = try RW.run(graph, values)[0], got = try RW.run(outcome.graph, values)[0]
        #expect(RW.agree(got, want, rtol: 1e-9), "\(got.scalars) vs \(want.scalars)")
    }

    @Test func budgetStopIsReportedByThePipeline() throws {
        let (graph, args) = Self.nestedProducts(depth: 8)
        let (after, report) = try Pipeline.standard(.fastRun, including: ["distributeMul"]).run(graph)
        let notes = report.passes.compactMap(\.note)
        #expect(notes.contains { $0.contains("node budget exceeded") }, "\(report)")
        #expect(report.description.contains("note: node budget exceeded"))
        let values = RW.values(args)
        #expect(RW.agree(try RW.run(after, values)[0], try RW.run(graph, values)[0], rtol: 1e-9))
    }

    /// Two rules that undo each other never reach a fixpoint: the sweep budget stops them.
    @Test func pingPongRulesStopAtTheIterationBudget() throws {
        // add(a, b) → add(b, a)   (a rule that always applies again to its own result)
        let swap = RewriteRule("swap") { node, _ in
            guard let (a, b) = node.operands(of: .add), a !== b else { return nil }
            return Node.make(.elementwise(.add), [b, a], at: node.location)
        }
        let args = [RW.Arg.f("x", [3], symbolic: false), RW.Arg.f("y", [3], symbolic: false)]
        let graph = RW.graph(args) { v in [RW.un(.exp, RW.add(v[0], v[1]))] }
        let budget = RewriteBudget(maxSweeps: 5, maxRewritesPerNode: 3)
        var driver = RewriteDriver(RuleSet("pingPong", [swap], cse: false), budget: budget)
        let outcome = driver.run(graph)
        #expect(outcome.sweeps == 5 && outcome.stopped?.contains("iteration budget") == true, "\(outcome.stopped ?? "")")
        #expect(outcome.fired.first?.count == 15)   // 3 per sweep at the one add node
        let values = RW.values(args)
        #expect(RW.agree(try RW.run(outcome.graph, values)[0], try RW.run(graph, values)[0]))
    }

    /// A replacement of another dtype or rank, or with an error, is discarded.
    @Test func illTypedReplacementsAreDiscarded() {
        // exp(x) → cast<f32>(x)   (wrong dtype)
        let wrongDType = RewriteRule("wrongDType") { node, _ in
            node.operand(of: .exp).map { Build.cast($0, to: .float32, at: node.location) }
        }
        // exp(x) → sum(x)   (wrong rank)
        let wrongRank = RewriteRule("wrongRank") { node, _ in
            node.operand(of: .exp).map { RW.sum($0, nil) }
        }
        // exp(x) → dot(x, x, x)   (an error recorded by the type rule)
        let broken = RewriteRule("broken") { node, _ in
            node.operand(of: .exp).map { Node.make(.dot, [$0, $0, $0], at: node.location) }
        }
        let graph = RW.graph([RW.Arg.f("x", [3])]) { v in [RW.un(.exp, v[0])] }
        var driver = RewriteDriver(RuleSet("bad", [wrongDType, wrongRank, broken]))
        let outcome = driver.run(graph)
        #expect(outcome.fired.isEmpty && printGraph(outcome.graph) == printGraph(graph))
    }

    /// Frozen nodes are neither rewritten nor merged.
    @Test func frozenNodesAreKept() {
        let graph = RW.graph([RW.Arg.f("x", [3])]) { v in [RW.un(.log, RW.un(.sigmoid, v[0]))] }
        let inner = graph.outputs[0]
        var driver = RewriteDriver(RuleSet("stabilize", RuleCatalog.stabilize), frozen: [inner])
        #expect(driver.run(graph).graph.outputs[0] === inner)
    }

    /// `gradients` differentiates the stabilized cost when every wrt node is a leaf, and the
    /// cost as built otherwise (a rewrite could bypass an intermediate wrt node).
    @Test func stabilizedCostForDifferentiation() {
        let x = RW.inputs([RW.Arg.f("x", [2, 3])])[0]
        let p = Build.softmax(x, axis: 1, at: RW.loc)
        let cost = RW.sum(RW.un(.log, p), nil)
        let stable = stabilizedForDifferentiation(cost, wrt: [x], hasKnownGrads: false)
        #expect(topologicalOrder([stable]).contains { if case .logSoftmax = $0.op { return true } else { return false } })
        #expect(stabilizedForDifferentiation(cost, wrt: [p], hasKnownGrads: false) === cost)
        #expect(stabilizedForDifferentiation(cost, wrt: [x], hasKnownGrads: true) === cost)
        let grad = gradients(of: cost, wrt: [x], at: RW.loc)[0]
        #expect(!topologicalOrder([grad]).contains { $0.isElementwise(.div) }, "\(printGraph(Graph(name: "g", inputs: [x], outputs: [grad], outputCount: 1)))")
        let unstable = gradients(of: cost, wrt: [x], at: RW.loc, stabilize: false)[0]
        #expect(topologicalOrder([unstable]).contains { $0.isElementwise(.div) })
    }
}
