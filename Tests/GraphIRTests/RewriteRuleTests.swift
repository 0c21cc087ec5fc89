import GraphIR
import Testing
import TensorRuntime

/// Every rule: the golden text of the rewritten graph (`printGraph`), the rule firing, and
/// equal values before and after on the reference interpreter.
@Suite struct RewriteRuleTests {
    static let all = RewriteRuleTests.algebra + RewriteRuleTests.shape + RewriteRuleTests.stabilize
        + RewriteRuleTests.specialize

    @Test(arguments: all)
    func ruleRewritesToGoldenAndKeepsValues(_ row: RuleCase) throws {
        let before = RW.graph(row.args, name: "rule") { [row.build($0)] }
        try #require(before.outputs[0].error == nil, "\(String(describing: before.outputs[0].error))")
        let outcome = RW.rewrite(before, row.rules)
        #expect(outcome.fired.contains { $0.rule == row.rule }, "\(row.rule) did not fire: \(outcome.fired)")
        #expect(outcome.stopped == nil)
        let text = printGraph(outcome.graph)
        #expect(text == row.golden + "\n", "golden mismatch; got:\n\(text)")
        #expect(verifyGraph(outcome.graph).isEmpty, "\(verifyGraph(outcome.graph))")
        for seed: UInt64 in [3, 4] {
            let values = RW.values(row.args, seed: seed)
            let want = try RW.run(before, values)[0], got = try RW.run(outcome.graph, values)[0]
            #expect(RW.agree(got, want, rtol: 1e-12), "\(row.name): got \(got.scalars.prefix(6)) want \(want.scalars.prefix(6))")
        }
    }

    /// Every rule of the catalog has a row (so none goes untested).
    @Test func everyRuleHasARow() {
        let covered = Set(Self.all.map(\.rule))
        let missing = RuleCatalog.allNames.subtracting(covered).sorted()
        #expect(missing.isEmpty, "rules without a table row: \(missing)")
    }
}
