import GraphIR
import TensorRuntime

/// The scheduler's decisions for one graph: which values live in plan buffers, and the steps
/// (fused kernels, library products, reference fallbacks) that compute them, in run order.
///
/// Fusion model. Every value that is not materialized is recomputed, inline, by each kernel that
/// needs it ("cone" of a kernel: everything between its stored roots and the materialized values
/// it loads). A kernel iterates over a `domain` (a shape); its `rowAxes` are iterated by inner
/// passes that carry reductions (sum, max, argmax, ...), the other axes by outer loops:
///
/// ```
/// for kept axes (outer loops, the first one parallel) {
///     pass 1 over rowAxes: carried reductions of level 1 (e.g. max of a softmax row)
///     pass 2 over rowAxes: reductions of level 2, which use level-1 results (sum of exp(x - max))
///     ... last pass: stores of full-domain roots (softmax, its gradient)
///     stores of roots shaped like the kept axes (cross-entropy of the row, row sums)
/// }
/// ```
///
/// A plain elementwise kernel is the special case with no row axes (one loop nest, possibly
/// collapsed to one flat loop). A group reducing leading axes into one root (bias gradients)
/// accumulates into the root's buffer row by row instead, so its inner loop stays contiguous.
/// concatenate, setSlice over slices of unknown length and general scatters are "parts"
/// kernels: one loop nest per written part (see `GroupLowering.emitParts`).
///
/// What is not lowered runs on GraphIR's reference interpreter as a `.reference` step: integer
/// matrix products, and ops whose result size is only known at run time (arange of a computed
/// length, alloc of computed extents); their results bind the new dim symbols for later steps.
package struct Schedule: Sendable {
    /// The graph being lowered (softmax and logSoftmax expanded into reductions).
    package var graph: Graph
    /// Values with a plan buffer: leaves that need one, step results and graph outputs.
    package var materialized: Set<Node>
    /// Materialized values that view another value's buffer (reshape-like ops of a buffer).
    package var aliases: [Node: Node]
    /// Steps in run order.
    package var steps: [ScheduledStep]
}

/// One step of a schedule.
package enum ScheduledStep: Hashable, Sendable {
    /// A generated loop kernel computing the group's roots.
    case kernel(FusedGroup)
    /// A library matrix product.
    case gemm(GemmPlan)
    /// A node evaluated by GraphIR's reference interpreter (not lowered yet).
    case reference(Node)
}

/// Materialized nodes computed by one generated kernel, and its iteration space.
package struct FusedGroup: Hashable, Sendable {
    /// The nodes the kernel stores, in topological order.
    package var roots: [Node]
    /// The iteration space: the shape of the inputs of the group's reductions, else of its roots.
    package var domain: [Dim]
    /// Axes of `domain` iterated by the inner reduction passes (sorted; empty: elementwise).
    package var rowAxes: [Int]
    /// The nodes the kernel computes (roots included), in topological order.
    package var inline: [Node]

    package init(roots: [Node], domain: [Dim], rowAxes: [Int], inline: [Node]) {
        self.roots = roots
        self.domain = domain
        self.rowAxes = rowAxes
        self.inline = inline
    }

    /// The domain without its row axes: the shape the outer loops iterate.
    package var keptShape: [Dim] {
        domain.indices.filter { !rowAxes.contains($0) }.map { domain[$0] }
    }

    /// The domain with the row axes set to 1 (the keepDims form of a reduction over them).
    package var keptShapeKeepingDims: [Dim] {
        domain.indices.map { rowAxes.contains($0) ? 1 : domain[$0] }
    }

    /// True when `shape` is the kept (outer) shape of a group with row axes.
    package func isOuterShape(_ shape: [Dim]) -> Bool {
        !rowAxes.isEmpty && (shape == keptShape || shape == keptShapeKeepingDims)
    }
}

/// A `dot` or `batchedDot` lowered to a library product.
package struct GemmPlan: Hashable, Sendable {
    /// The dot or batchedDot node.
    package var node: Node
    /// The node whose buffer receives the product: the dot, or the scalar multiple of it that
    /// was folded into `alpha`.
    package var output: Node
    /// The materialized operands (a transposed operand is the node under its dimshuffle).
    package var a: Node, b: Node
    package var transA: Bool, transB: Bool
    package var alpha: Double
}

/// The reason a trial lowering of a group failed: `node` must be materialized instead.
struct FusionFailure: Error {
    let node: Node
}
