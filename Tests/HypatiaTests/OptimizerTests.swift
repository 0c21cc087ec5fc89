import Foundation
import Hypatia
import Testing

/// The optimizer inside `function(...)`: on by default, modes, rule selection, report, lint
/// and error locations.
@Suite struct OptimizerTests {
    static func values() throws -> (Tensor, Tensor) {
        (try f32([3, 4], [1e4, -1e4, 0, 3, -2, 5e3, 1, 0, 0.5, 0.25, -0.5, 2]),
         try Tensor(shape: [3], scalars: [Int32(1), 0, 3]))
    }

    @Test func optimizerRunsByDefault() throws {
        let x = matrix("x", shape: [nil, 4]), y = vector("y", dtype: .int32)
        let cost = categoricalCrossentropy(softmax(x), y).mean()
        let f = try function(inputs: [x, y], outputs: [cost, grad(cost, wrt: x)])
        let g = try function(inputs: [x, y], outputs: [cost, grad(cost, wrt: x)], optimizer: .none)
        #expect(f.report.mode == "fastRun" && f.report.count(of: "crossentropySoftmax1Hot") == 1)
        #expect(g.report.mode == "none" && g.report.rulesFired.isEmpty)
        let (xv, yv) = try Self.values()
        let stable = try f(xv, yv), raw = try g(xv, yv)
        #expect(stable[0].scalar.isFinite && stable[1].scalars.allSatisfy(\.isFinite))
        #expect(!raw[0].scalar.isFinite)   // -log(0): the unoptimized graph overflows
        #expect(Swift.abs(stable[0].scalar - (2e4 + 5e3 - 2) / 3) < 1e-3 * 1e4, "\(stable[0].scalar)")
    }

    @Test func modesAndRuleSelection() throws {
        let a = matrix("a", shape: [nil, 3]), w = matrix("w", shape: [3, 2]), b = vector("b", shape: [2])
        let z = pow(dot(a, w) + b, 2)
        let full = try function(inputs: [a, w, b], outputs: [z])
        let light = try function(inputs: [a, w, b], outputs: [z], optimizer: .fastCompile)
        let noGemm = try function(inputs: [a, w, b], outputs: [z], optimizer: GraphOptimizer(excluding: ["gemm"]))
        #expect(full.dump(.graph).contains("gemm") && full.report.count(of: "powSpecial") == 1)
        #expect(!light.dump(.graph).contains("gemm") && light.report.count(of: "powSpecial") == 0)
        #expect(!noGemm.dump(.graph).contains("gemm") && noGemm.report.count(of: "powSpecial") == 1)
        let args = [try f32([2, 3], [1, 2, 3, 4, 5, 6]), try f32([3, 2], [1, 0, 0, 1, 1, 1]), try f32([2], [0.5, -1])]
        let want = try function(inputs: [a, w, b], outputs: [z], optimizer: .none).call(args)[0].scalars
        for f in [full, light, noGemm] { #expect(close(try f.call(args)[0].scalars, want)) }
    }

    @Test func unknownRuleNameThrowsAtTheCall() throws {
        let x = vector("x")
        let error = graphError { try function(inputs: [x], outputs: [exp(x)], optimizer: GraphOptimizer(excluding: ["gemmm"])) }
        #expect(error?.kind == .argument && error?.location == at(#line - 1), "\(String(describing: error))")
        #expect(error?.message.contains("gemmm") == true)
    }

    /// A run-time shape error in the gemm made from `dot(x, W) + c` names the user's line.
    @Test func runtimeErrorAfterRewritingNamesTheUsersLine() throws {
        let x = matrix("x", shape: [nil, 3]), w = matrix("W", shape: [3, nil]), c = matrix("c")
        let z = dot(x, w) + c; let line = #line
        let f = try function(inputs: [x, w, c], outputs: [z])
        #expect(f.dump(.graph).contains("gemm"))
        let error = graphError { try f(Tensor(zeros: [2, 3]), Tensor(zeros: [3, 4]), Tensor(zeros: [2, 5])) }
        #expect(error?.location == at(line) && error?.kind == .shape, "\(String(describing: error))")
    }

    /// An unstable form the rules did not rewrite (here: its rule excluded) is reported with
    /// the user's line.
    @Test func lintWarnsAboutUnstablePatternsLeft() throws {
        let x = matrix("x", shape: [nil, 4])
        let out = log(softmax(x)); let line = #line
        let f = try function(inputs: [x], outputs: [out], optimizer: GraphOptimizer(excluding: ["logSoftmax"]))
        #expect(f.report.warnings.count == 1)
        #expect(f.report.warnings.first?.location == at(line))
        #expect(f.dump(.report).contains("warning: ") && f.dump(.report).contains("use logSoftmax"))
        let clean = try function(inputs: [x], outputs: [out])
        #expect(clean.report.warnings.isEmpty && clean.dump(.report).contains("no known-unstable patterns"))
    }
}
