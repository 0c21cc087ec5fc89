import GraphIR

/// How `function(...)` compiles and runs a graph (Theano's compilation modes).
///
/// Every mode rewrites the graph first (the mode picks the default `GraphOptimizer`; an explicit
/// `optimizer:` overrides it) and then chooses the backend that runs it.
public enum Mode: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Every rewrite, then the graph is lowered to a plan of fused loop kernels compiled to
    /// native code with LLVM (vectorized, large loops split across cores), matrix products
    /// through BLAS. The default.
    case fastRun
    /// Light rewrites (canonicalization and the stability rules), then the same LLVM plan:
    /// less time spent optimizing the graph.
    case fastCompile
    /// Every rewrite, then the graph runs on the reference interpreter, node by node (no code
    /// generation: the ground truth the other modes are tested against).
    case interpret
    /// Every rewrite, then each call runs the LLVM plan and checks every value it
    /// materializes against the reference interpreter, computed from the same inputs. The
    /// first value that differs throws `GraphError(.runtime, op: "debug", ...)` naming its op,
    /// the user's line, the largest absolute and relative differences and the first index
    /// that differs. Slow: for finding backend bugs, not for training.
    case debug

    /// The rewrite pipeline this mode uses unless `function(...)` is given one.
    public var defaultOptimizer: GraphOptimizer {
        switch self {
        case .fastRun, .interpret, .debug: return .fastRun
        case .fastCompile: return .fastCompile
        }
    }

    /// True if the mode compiles the graph to LLVM kernels.
    var usesKernels: Bool {
        switch self {
        case .fastRun, .fastCompile, .debug: return true
        case .interpret: return false
        }
    }

    /// `.fastRun`, `.fastCompile`, `.interpret`, `.debug`.
    public var description: String {
        switch self {
        case .fastRun: return ".fastRun"
        case .fastCompile: return ".fastCompile"
        case .interpret: return ".interpret"
        case .debug: return ".debug"
        }
    }
}
