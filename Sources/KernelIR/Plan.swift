import GraphIR
import TensorRuntime

/// Identifies a buffer of a plan.
package struct BufferID: Hashable, Sendable, Comparable, CustomStringConvertible {
    package let raw: Int
    package init(_ raw: Int) { self.raw = raw }
    package static func < (a: BufferID, b: BufferID) -> Bool { a.raw < b.raw }
    package var description: String { "%b\(raw)" }
}

/// Where a plan buffer's memory comes from.
package enum BufferSource: Hashable, Sendable {
    /// Argument k of the call (explicit inputs, then shared-variable snapshots; read only).
    case argument(Int)
    /// A constant baked into the plan (read only).
    case constant(Tensor)
    /// Memory the plan owns; the memory plan assigns it a slot reused by liveness.
    case temporary
    /// The same memory as another buffer, viewed with this buffer's shape (reshape, and
    /// elementwise results written in place over a dead input).
    case alias(BufferID)
}

/// One buffer of a plan: a dense row-major array whose shape is evaluated at run time.
package struct PlanBuffer: Hashable, Sendable {
    package var dtype: DType
    package var shape: [Dim]
    package var source: BufferSource

    package init(dtype: DType, shape: [Dim], source: BufferSource) {
        self.dtype = dtype
        self.shape = shape
        self.source = source
    }
}

/// A BLAS matrix product `C = alpha * op(A) * op(B) + beta * C`, optionally batched
/// (`batch` products with element strides between consecutive matrices).
package struct GemmStep: Hashable, Sendable {
    package var a: BufferID, b: BufferID, c: BufferID
    package var transA: Bool, transB: Bool
    package var m: Dim, n: Dim, k: Dim
    package var alpha: Double, beta: Double
    package var batch: Dim
    package var strideA: Dim, strideB: Dim, strideC: Dim

    package init(a: BufferID, b: BufferID, c: BufferID, transA: Bool, transB: Bool, m: Dim, n: Dim, k: Dim,
                 alpha: Double = 1, beta: Double = 0, batch: Dim = 1,
                 strideA: Dim = 0, strideB: Dim = 0, strideC: Dim = 0) {
        self.a = a; self.b = b; self.c = c
        self.transA = transA; self.transB = transB
        self.m = m; self.n = n; self.k = k
        self.alpha = alpha; self.beta = beta
        self.batch = batch
        self.strideA = strideA; self.strideB = strideB; self.strideC = strideC
    }
}

/// One step of a plan, run in order.
package enum PlanStep: Hashable, Sendable {
    /// Runs `kernels[kernel]` on the buffers with size parameters evaluated from the dims.
    case kernel(Int, buffers: [BufferID], params: [Dim])
    /// A library matrix product.
    case gemm(GemmStep)
    /// Host fallback: evaluates a graph node with the reference interpreter (also binds
    /// data-dependent dim symbols). Inputs and output are plan buffers.
    case reference(Node, inputs: [BufferID], output: BufferID)
}

/// A compiled function's executable form: kernels, buffers and the steps that run them.
package struct Plan: Sendable {
    package var kernels: [Kernel]
    package var buffers: [PlanBuffer]
    package var steps: [PlanStep]
    /// The buffers holding the graph's outputs (user outputs, then update values).
    package var outputs: [BufferID]
    /// Number of call arguments (explicit inputs + shared snapshots).
    package var argumentCount: Int
    /// The function's name, for call errors and dumps.
    package var name: String = "function"
    /// How each argument is named in call errors (`'x'`, `shared 'W'`); missing labels print
    /// as the argument's number.
    package var argumentLabels: [String] = []
    /// The error each failing `checkIndex` code stands for (built by the lowering).
    package var errorMessages: [Int32: PlanErrorMessage] = [:]
    /// The graph node whose value each buffer holds (arguments, constants and every
    /// materialized value; the lowering fills it, hand-built plans may leave it empty).
    /// Nodes of the lowering's expanded graph: they keep the user's source line.
    package var bufferNodes: [BufferID: Node] = [:]
    /// Arguments whose memory the plan overwrites (shared-variable updates written in place,
    /// see `updatingInPlace`), sorted. Only the last `inPlaceStepCount` steps write them:
    /// kernels that cannot fail and gemms (`foldingGemmUpdates`), run after every step that
    /// can fail.
    package var inPlaceArguments: [Int] = []
    /// How many trailing steps may write `inPlaceArguments` (0: none).
    package var inPlaceStepCount = 0
    /// Buffers written in place over a dead input or over an argument (aliases made by the
    /// in-place rewrites; for statistics and dumps).
    package var inPlaceBuffers: Set<BufferID> = []

    package init(kernels: [Kernel], buffers: [PlanBuffer], steps: [PlanStep], outputs: [BufferID],
                 argumentCount: Int) {
        self.kernels = kernels
        self.buffers = buffers
        self.steps = steps
        self.outputs = outputs
        self.argumentCount = argumentCount
    }
}

/// Runs the kernels of a plan: the boundary between KernelIR and code generators.
package protocol KernelExecutor: Sendable {
    /// Runs kernel `index` with its buffers' base addresses (in the kernel's buffer order) and
    /// size parameters; returns 0 or the failing `checkIndex` code.
    func run(kernel index: Int, buffers: UnsafePointer<UnsafeMutableRawPointer>,
             params: UnsafePointer<Int64>) -> Int32
    /// The same with each buffer's element count, so a checking executor (the interpreter)
    /// can trap out-of-bounds accesses; the default ignores the counts.
    func run(kernel index: Int, buffers: UnsafePointer<UnsafeMutableRawPointer>, elementCounts: UnsafePointer<Int>,
             params: UnsafePointer<Int64>) -> Int32
}

extension KernelExecutor {
    /// Ignores the element counts.
    package func run(kernel index: Int, buffers: UnsafePointer<UnsafeMutableRawPointer>,
                     elementCounts: UnsafePointer<Int>, params: UnsafePointer<Int64>) -> Int32 {
        run(kernel: index, buffers: buffers, params: params)
    }
}

/// Turns kernels into a `KernelExecutor` (the loop-IR interpreter, or LLVM).
package protocol KernelCompiler: Sendable {
    func compile(_ kernels: [Kernel]) throws -> any KernelExecutor
}
