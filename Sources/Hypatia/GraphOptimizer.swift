import GraphIR

/// How `function(...)` optimizes its graph before compiling it (not to be confused with the
/// training update rules of HypatiaNN).
///
/// The optimizer rewrites the graph in an ordered pipeline — canonicalize (constant folding,
/// algebraic identities, common subexpressions, shape ops and queries), stabilize (logSoftmax,
/// softplus, log1p, expm1, log-sum-exp, softmax cross-entropy), specialize (gemm, x·x, ...) —
/// and records what it did in `CompiledFunction.report`. Rules can be added or removed by name
/// (the names the report prints).
public struct GraphOptimizer: Sendable, Hashable {
    /// How much the optimizer does.
    public enum Mode: Sendable, Hashable {
        /// Every rule set (the default).
        case fastRun
        /// Light canonicalization and the stability rules only: compiles faster.
        case fastCompile
        /// No rewriting: the graph runs as built (apart from rules named in `including`).
        case none
    }

    public var mode: Mode
    /// Rules to run in addition to the mode's (e.g. the optional `distributeMul`).
    public var including: Set<String>
    /// Rules not to run (`cse` turns off common-subexpression elimination).
    public var excluding: Set<String>

    public init(_ mode: Mode = .fastRun, including: Set<String> = [], excluding: Set<String> = []) {
        self.mode = mode
        self.including = including
        self.excluding = excluding
    }

    /// Every rule set (the default).
    public static let fastRun = GraphOptimizer(.fastRun)
    /// Light rewrites only.
    public static let fastCompile = GraphOptimizer(.fastCompile)
    /// No rewriting.
    public static let none = GraphOptimizer(.none)

    /// The name of every rule (for `including:` / `excluding:`).
    public static var ruleNames: [String] { RuleCatalog.allNames.sorted() }

    /// The GraphIR mode.
    var graphMode: OptimizationMode {
        switch mode {
        case .fastRun: return .fastRun
        case .fastCompile: return .fastCompile
        case .none: return .none
        }
    }
}

/// Runs the optimizer's pipeline on a validated graph; unknown rule names throw `.argument`
/// at the `function(...)` call.
func optimize(_ graph: Graph, with optimizer: GraphOptimizer, at loc: SourceLocation) throws(GraphError)
    -> (Graph, CompileReport) {
    let pipeline: Pipeline
    do {
        pipeline = try Pipeline.standard(optimizer.graphMode, including: optimizer.including,
                                         excluding: optimizer.excluding)
    } catch {
        throw error.located(at: loc)
    }
    return pipeline.run(graph, mode: optimizer.graphMode.rawValue)
}
