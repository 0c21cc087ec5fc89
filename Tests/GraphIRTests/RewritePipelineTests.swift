import Foundation
import GraphIR
import Testing
import TensorRuntime

/// The pipeline as a whole: a golden before/after graph, convergence, values, budgets,
/// provenance and error locations after rewriting.
@Suite struct RewritePipelineTests {
    /// Logistic regression's training step built as a user would: softmax, categorical
    /// cross-entropy with int labels, mean, gradients and an SGD update.
    static func logisticStep() -> Graph {
        let at = { (line: Int) in GraphIR.SourceLocation(fileID: "User/train.swift", line: line) }
        let x = Build.input("x", dtype: .float32, shape: [nil, 4], at: at(1))
        let y = Build.input("y", dtype: .int32, shape: [nil], at: at(2))
        let lr = Build.input("lr", dtype: .float32, shape: [], at: at(3))
        let w = Build.input("W", dtype: .float32, shape: [4, 3], at: at(4))
        let z = Build.binary(.add, Build.dot(x, w, at: at(5)), Build.scalar(0.5, dtype: .float32, at: at(5)), at: at(5))
        let p = Build.softmax(z, axis: 1, at: at(6))
        let cost = Build.reduce(.mean, Build.categoricalCrossentropy(p, y, at: at(7)), axes: nil, keepDims: false, at: at(7))
        let g = gradients(of: cost, wrt: [w], at: at(8))[0]
        let update = Build.binary(.sub, w, Build.binary(.mul, lr, g, at: at(9)), at: at(9))
        return Graph(name: "train", inputs: [x, y, lr, w], outputs: [cost, update], outputCount: 2)
    }

    static let logisticValues: [Tensor] = [
        try! Tensor(shape: [5, 4], values: (0..<20).map { sin(Double($0)) * 3 }, dtype: .float32),
        try! Tensor(shape: [5], scalars: [Int32(0), 2, 1, 1, 0]),
        Tensor(0.1, dtype: .float32),
        try! Tensor(shape: [4, 3], values: (0..<12).map { cos(Double($0)) }, dtype: .float32),
    ]

    @Test func goldenBeforeAndAfter() throws {
        let before = Self.logisticStep()
        #expect(printGraph(before) == Self.goldenBefore, "before:\n\(printGraph(before))")
        let (after, report) = try Pipeline.standard(.fastRun).run(before, mode: "fastRun")
        #expect(printGraph(after) == Self.goldenAfter, "after:\n\(printGraph(after))")
        #expect(report.count(of: "crossentropySoftmax1Hot") == 1 && report.count(of: "gemm") == 2)
        #expect(report.warnings.isEmpty, "\(report)")
        let want = try RW.run(before, Self.logisticValues), got = try RW.run(after, Self.logisticValues)
        for (a, b) in zip(got, want) { #expect(RW.agree(a, b, rtol: 2e-6), "\(a.scalars) vs \(b.scalars)") }
    }

    @Test func runningThePipelineTwiceChangesNothing() throws {
        let pipeline = try Pipeline.standard(.fastRun)
        let (once, _) = pipeline.run(Self.logisticStep())
        let (twice, report) = pipeline.run(once)
        #expect(printGraph(twice) == printGraph(once))
        #expect(report.rulesFired.isEmpty, "second run fired \(report.rulesFired)")
    }

    /// Every rule-table graph: the full pipeline keeps its values and is idempotent.
    @Test(arguments: RewriteRuleTests.all)
    func pipelineOnRuleGraphs(_ row: RuleCase) throws {
        let before = RW.graph(row.args, name: "rule") { [row.build($0)] }
        let pipeline = try Pipeline.standard(.fastRun, including: ["distributeMul"])
        let (once, first) = pipeline.run(before)
        let (twice, second) = pipeline.run(once)
        #expect(printGraph(twice) == printGraph(once), "not converged:\n\(printGraph(once))\n\(printGraph(twice))")
        #expect(second.rulesFired.isEmpty, "second run fired \(second.rulesFired)")
        #expect(!first.passes.contains { $0.note != nil }, "\(first)")
        let values = RW.values(row.args)
        #expect(RW.agree(try RW.run(once, values)[0], try RW.run(before, values)[0], rtol: 1e-12))
    }

    @Test func fastCompileRunsLightRewritesOnly() throws {
        let (after, report) = try Pipeline.standard(.fastCompile).run(Self.logisticStep())
        #expect(report.count(of: "gemm") == 0 && report.count(of: "crossentropySoftmax1Hot") == 1)
        #expect(!printGraph(after).contains("gemm"))
        let want = try RW.run(Self.logisticStep(), Self.logisticValues), got = try RW.run(after, Self.logisticValues)
        for (a, b) in zip(got, want) { #expect(RW.agree(a, b, rtol: 2e-6)) }
    }

    @Test func includingAndExcludingRulesByName() throws {
        let (after, report) = try Pipeline.standard(.fastRun, excluding: ["gemm", "cse"]).run(Self.logisticStep())
        #expect(report.count(of: "gemm") == 0 && report.count(of: "cse") == 0)
        #expect(!printGraph(after).contains("gemm"))
        let (only, onlyReport) = try Pipeline.standard(.none, including: ["gemm"]).run(Self.logisticStep())
        #expect(onlyReport.rulesFired.map(\.rule) == ["gemm"] && printGraph(only).contains("log "))
        #expect(throws: GraphError.self) { try Pipeline.standard(.fastRun, including: ["noSuchRule"]) }
        do {
            _ = try Pipeline.standard(.fastRun, excluding: ["gemmm"])
        } catch {
            #expect(error.kind == .argument && error.message.contains("gemmm"), "\(error)")
        }
    }

    /// Nodes a rule creates keep the replaced node's user line and list the rules applied.
    @Test func rewrittenNodesKeepProvenance() throws {
        let (after, _) = try Pipeline.standard(.fastRun).run(Self.logisticStep())
        let gemms = after.nodes.filter { if case .gemm = $0.op { return true } else { return false } }
        #expect(gemms.count == 2)
        let forward = try #require(gemms.first { !$0.op.transposesA })
        #expect(forward.location.line == 5 && forward.rules == ["gemm"])   // the user's `dot(x, W) + 0.5`
        let update = try #require(gemms.first { $0.op.transposesA })
        #expect(update.location.line == 9 && update.rules == ["gemm"])     // the user's `W - lr * g`
        let logSoftmax = try #require(after.nodes.first { if case .logSoftmax = $0.op { return true } else { return false } })
        #expect(logSoftmax.location.line == 7 && logSoftmax.rules == ["crossentropySoftmax1Hot"])
    }

    /// A run-time shape error in a node the optimizer made names the user's line.
    @Test func errorInARewrittenNodeNamesTheUsersLine() throws {
        let user = GraphIR.SourceLocation(fileID: "User/model.swift", line: 42)
        let x = Build.input("x", dtype: .float64, shape: [nil, 3], at: RW.loc)
        let w = Build.input("W", dtype: .float64, shape: [3, nil], at: RW.loc)
        let c = Build.input("c", dtype: .float64, shape: [nil, nil], at: RW.loc)
        let z = Build.binary(.add, Build.dot(x, w, at: RW.loc), c, at: user)
        let graph = Graph(name: "f", inputs: [x, w, c], outputs: [z], outputCount: 1)
        let (after, _) = try Pipeline.standard(.fastRun).run(graph)
        #expect(printGraph(after).contains("gemm"))
        let args = [Tensor(zeros: [2, 3], dtype: .float64), Tensor(zeros: [3, 4], dtype: .float64),
                    Tensor(zeros: [2, 5], dtype: .float64)]
        do {
            _ = try RW.run(after, args)
            Issue.record("expected a shape error")
        } catch let error as GraphError {
            #expect(error.location == user && error.kind == .shape, "\(error)")
        }
    }
}

extension Op {
    /// True for a gemm with a transposed first operand.
    var transposesA: Bool {
        if case .gemm(let transA, _) = self { return transA }
        return false
    }
}
