import GraphIR
import TensorRuntime

/// The state of one call: dim bindings, the memory behind each root buffer, and the steps.
struct PlanRun {
    let runner: PlanRunner
    let arguments: [Tensor]
    var bindings: [DimSymbol: Int]
    let arena: Arena
    let layout: SlotAssignment
    /// The memory of each root buffer, once materialised.
    private var storages: [TensorStorage?]
    /// The evaluated shape of each buffer, once its dims are known.
    private var shapes: [[Int]?]

    init(runner: PlanRunner, arguments: [Tensor], bindings: [DimSymbol: Int], arena: Arena,
         layout: SlotAssignment) {
        self.runner = runner
        self.arguments = arguments
        self.bindings = bindings
        self.arena = arena
        self.layout = layout
        storages = Array(repeating: nil, count: runner.plan.buffers.count)
        shapes = Array(repeating: nil, count: runner.plan.buffers.count)
    }

    private var plan: Plan { runner.plan }

    /// Runs one step.
    mutating func run(_ step: PlanStep) throws(GraphError) {
        switch step {
        case .kernel(let k, let buffers, let params): try runKernel(k, buffers, params)
        case .gemm(let g): try runGemm(g)
        case .reference(let node, let inputs, let output): try runReference(node, inputs, output)
        }
    }

    /// The value of a dim under the current bindings.
    mutating func size(_ dim: Dim, of what: @autoclosure () -> String) throws(GraphError) -> Int {
        guard let value = dim.evaluate(bindings) else {
            throw GraphError(.shape, op: "call", "size \(dim) of \(what()) is not known at run time")
        }
        return value
    }

    /// The concrete shape of buffer `b` (extents must be non-negative).
    mutating func shape(_ b: Int) throws(GraphError) -> [Int] {
        if let shape = shapes[b] { return shape }
        var shape: [Int] = []
        for dim in plan.buffers[b].shape { shape.append(try size(dim, of: "buffer \(BufferID(b))")) }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw GraphError(.shape, op: "call", "buffer \(BufferID(b)) has negative extent in "
                             + ShapeBinding.describe(shape))
        }
        shapes[b] = shape
        return shape
    }

    /// Bytes buffer `b` covers.
    mutating func byteCount(_ b: Int) throws(GraphError) -> Int {
        try shape(b).reduce(1, *) * plan.buffers[b].dtype.byteSize
    }

    /// The memory behind buffer `b` (its root's), allocated on first use for per-call roots;
    /// throws if `b`'s shape does not fit in it.
    mutating func storage(_ b: Int) throws(GraphError) -> TensorStorage {
        let root = runner.memory.roots[b]
        let storage: TensorStorage
        if let existing = storages[root] {
            storage = existing
        } else {
            storage = try materialise(root)
            storages[root] = storage
        }
        let needed = try byteCount(b)
        guard needed <= storage.byteCount else {
            let shape = try shape(b)
            throw GraphError(.shape, op: "call", "buffer \(BufferID(b)) of shape \(ShapeBinding.describe(shape)) "
                             + "needs \(needed) bytes, but the memory it views (\(BufferID(root))) has \(storage.byteCount)")
        }
        return storage
    }

    /// The memory of a root: an argument's or constant's storage, an arena slot, or a fresh
    /// allocation as large as the largest buffer viewing it.
    private mutating func materialise(_ root: Int) throws(GraphError) -> TensorStorage {
        switch runner.memory.storage[root] {
        case .argument(let k): return arguments[k].storage
        case .constant:
            guard case .constant(let tensor) = plan.buffers[root].source else { preconditionFailure("not a constant") }
            return tensor.storage
        case .temporary, .output, .unused:
            if let slot = layout.slotOf[root] { return arena.slots[slot] }
            var largest = 0
            for member in runner.memory.members[root] { largest = max(largest, try byteCount(member)) }
            return FreshRoot(bytes: largest, zeroFrom: try byteCount(root)).allocate()
        }
    }

    /// Buffer `b` as a tensor sharing its memory (for reference steps and outputs).
    mutating func tensor(_ id: BufferID) throws(GraphError) -> Tensor {
        let storage = try storage(id.raw)
        return Tensor(shape: try shape(id.raw), dtype: plan.buffers[id.raw].dtype, storage: storage)
    }

    private mutating func runKernel(_ k: Int, _ buffers: [BufferID], _ params: [Dim]) throws(GraphError) {
        let code = try resolveKernel(k, buffers, params).execute(runner.executor)
        guard code != 0 else { return }
        throw runner.kernelError(k, code: code, bindings: bindings)
    }

    /// A kernel or gemm step with its memory and sizes worked out, to run later (the in-place
    /// tail).
    mutating func resolve(_ step: PlanStep) throws(GraphError) -> ResolvedStep {
        switch step {
        case .kernel(let k, let buffers, let params): return .kernel(try resolveKernel(k, buffers, params))
        case .gemm(let g): return .gemm(try resolveGemm(g))
        case .reference: preconditionFailure("in-place tail step \(step) is a reference step (the plan verifier rejects this)")
        }
    }

    private mutating func resolveKernel(_ k: Int, _ buffers: [BufferID], _ params: [Dim]) throws(GraphError)
        -> ResolvedKernel {
        var resolved = ResolvedKernel(kernel: k)
        for id in buffers {
            resolved.pointers.append(try storage(id.raw).pointer)
            resolved.counts.append(try shape(id.raw).reduce(1, *))
        }
        let name = plan.kernels[k].name
        for dim in params { resolved.values.append(Int64(try size(dim, of: "a param of @\(name)"))) }
        return resolved
    }

    /// Evaluates a node with the reference interpreter on tensors over the plan buffers and
    /// copies the result into the output buffer (binding the symbols of the node's type).
    private mutating func runReference(_ node: Node, _ inputs: [BufferID], _ output: BufferID) throws(GraphError) {
        var operands: [Tensor] = []
        for id in inputs { operands.append(try tensor(id)) }
        let result = try evaluate(node, operands, bindings: &bindings)
        operands = []
        let expected = try shape(output.raw)
        guard expected == result.shape else {
            throw GraphError(.shape, op: node.op.name, "result has shape \(ShapeBinding.describe(result.shape)), "
                             + "but its plan buffer \(output) has \(ShapeBinding.describe(expected))", at: node.location)
        }
        let destination = try storage(output.raw).pointer
        result.withUnsafeRawBuffer { bytes in
            guard let source = bytes.baseAddress, bytes.count > 0 else { return }
            destination.copyMemory(from: source, byteCount: bytes.count)
        }
    }
}

/// A step of the in-place tail, resolved before any of the tail runs.
enum ResolvedStep {
    case kernel(ResolvedKernel)
    /// nil: an empty product.
    case gemm(ResolvedGemm?)

    /// Runs the step; it cannot fail (tail kernels have no `checkIndex`).
    func run(_ runner: PlanRunner) {
        switch self {
        case .kernel(let kernel):
            let code = kernel.execute(runner.executor)
            precondition(code == 0, "in-place kernel @\(runner.plan.kernels[kernel.kernel].name) failed with code \(code)")
        case .gemm(let gemm): gemm?.run()
        }
    }
}

/// A kernel call with its buffers' addresses and element counts and its parameter values (the
/// memory stays alive as long as the `PlanRun` that resolved it).
struct ResolvedKernel {
    let kernel: Int
    var pointers: [UnsafeMutableRawPointer] = []
    var counts: [Int] = []
    var values: [Int64] = []

    /// Runs the kernel; returns 0 or its failing `checkIndex` code.
    func execute(_ executor: any KernelExecutor) -> Int32 {
        withBase(pointers) { p in
            withBase(counts) { c in withBase(values) { v in executor.run(kernel: kernel, buffers: p, elementCounts: c, params: v) } }
        }
    }
}

/// Calls `body` with the array's base address (a dangling but never dereferenced address for
/// an empty array).
func withBase<T, R>(_ values: [T], _ body: (UnsafePointer<T>) -> R) -> R {
    values.withUnsafeBufferPointer { buffer in
        body(buffer.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<T>.alignment)!)
    }
}
