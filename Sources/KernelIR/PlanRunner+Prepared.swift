import GraphIR
import TensorRuntime

/// Where the memory behind a kernel buffer, gemm operand or output comes from in a
/// prepared call.
enum PreparedSource: Sendable {
    /// Argument k's storage (patched into the pointer table each call).
    case argument(Int)
    /// A constant of the plan (fixed).
    case constant(TensorStorage)
    /// An arena slot (fixed per arena).
    case slot(Int)
    /// Memory allocated for this call and handed to the caller (patched each call).
    case fresh(Int)
}

/// A root allocated per call: `bytes` in all, of which the bytes from `zeroFrom` on lie beyond
/// the root buffer's own extent (only views larger than the root reach them; they read zeros).
struct FreshRoot: Sendable {
    let bytes: Int
    let zeroFrom: Int

    /// New memory: the root's own extent is left undefined (the steps write it before any
    /// read; debug builds fill it with 0xFF bytes so a step relying on zeros shows up), the
    /// rest is zeroed.
    func allocate() -> TensorStorage {
        let storage = TensorStorage(uninitializedByteCount: bytes)
        #if DEBUG
        storage.pointer.initializeMemory(as: UInt8.self, repeating: 0xFF, count: zeroFrom)
        #endif
        if bytes > zeroFrom {
            (storage.pointer + zeroFrom).initializeMemory(as: UInt8.self, repeating: 0, count: bytes - zeroFrom)
        }
        return storage
    }
}

/// A matrix product with its sizes evaluated; operands are pointer-table indices.
struct PreparedGemm: Sendable {
    let shape: GemmShape
    let batch: Int
    let strides: (a: Int, b: Int, c: Int)
    let alpha: Double, beta: Double
    let dtype: DType
    let a: Int, b: Int, c: Int
}

/// One step of a prepared call.
enum PreparedStep: Sendable {
    /// Kernel `kernel` with its buffers at `table[first...]` (element counts at the same
    /// offsets of `counts`) and its parameters at `params[parameters...]`.
    case kernel(Int, first: Int, parameters: Int)
    case gemm(PreparedGemm)
}

/// An output of a prepared call.
struct PreparedOutput: Sendable {
    let shape: [Int]
    let dtype: DType
    let source: PreparedSource
}

/// A call of a plan with every size evaluated for one argument-shape key.
///
/// It holds the kernel parameters, gemm sizes, output shapes and the memory behind every
/// kernel buffer and gemm operand as a pointer table, so a call with these argument shapes
/// and dtypes only patches argument and fresh-output addresses into the table and runs the
/// steps: no dim evaluation, dictionary lookup or per-step allocation (see `CallPreparation`
/// for which calls are prepared).
final class PreparedCall: @unchecked Sendable {
    let argumentShapes: [[Int]]
    let argumentDTypes: [DType]
    let bindings: [DimSymbol: Int]
    let layout: SlotAssignment
    let steps: [PreparedStep]
    /// The index in `plan.steps` of each prepared step.
    let stepIndices: [Int]
    /// The source of each pointer-table entry.
    let table: [PreparedSource]
    /// Table entries patched each call: (index, argument) and (index, fresh root).
    let argumentEntries: [(index: Int, argument: Int)]
    let freshEntries: [(index: Int, root: Int)]
    let fresh: [FreshRoot]
    let outputs: [PreparedOutput]
    /// Kernel parameter values and per-table-entry element counts (immutable once built).
    let params: UnsafeMutablePointer<Int64>
    let counts: UnsafeMutablePointer<Int>

    init(argumentShapes: [[Int]], argumentDTypes: [DType], bindings: [DimSymbol: Int], layout: SlotAssignment,
         steps: [PreparedStep], stepIndices: [Int], table: [PreparedSource], counts: [Int], params: [Int64],
         fresh: [FreshRoot], outputs: [PreparedOutput]) {
        self.argumentShapes = argumentShapes
        self.argumentDTypes = argumentDTypes
        self.bindings = bindings
        self.layout = layout
        self.steps = steps
        self.stepIndices = stepIndices
        self.table = table
        self.fresh = fresh
        self.outputs = outputs
        var arguments: [(Int, Int)] = [], fresh: [(Int, Int)] = []
        for (index, source) in table.enumerated() {
            if case .argument(let k) = source { arguments.append((index, k)) }
            if case .fresh(let f) = source { fresh.append((index, f)) }
        }
        argumentEntries = arguments
        freshEntries = fresh
        self.params = .allocate(capacity: max(params.count, 1))
        self.params.initialize(from: params, count: params.count)
        self.counts = .allocate(capacity: max(counts.count, 1))
        self.counts.initialize(from: counts, count: counts.count)
    }

    deinit {
        params.deallocate()
        counts.deallocate()
    }

    /// True when `arguments` have this call's dtypes (their shapes matched the key).
    func accepts(_ arguments: [Tensor]) -> Bool {
        for (k, argument) in arguments.enumerated() where argument.dtype != argumentDTypes[k] { return false }
        return true
    }

    /// Runs the steps on `arena` (taken for this call) and returns the outputs.
    func run(_ arguments: [Tensor], arena: Arena, runner: PlanRunner) throws(GraphError) -> [Tensor] {
        let (table, storages) = bind(arguments, arena: arena)
        for step in steps { try run(step, table, runner) }
        var results: [Tensor] = []
        results.reserveCapacity(outputs.count)
        for output in outputs {
            let storage: TensorStorage
            switch output.source {
            case .argument(let k): storage = arguments[k].storage
            case .constant(let constant): storage = constant
            case .fresh(let f): storage = storages[f]
            case .slot: preconditionFailure("an output in the arena (the preparation refuses these)")
            }
            results.append(Tensor(shape: output.shape, dtype: output.dtype, storage: storage))
        }
        return results
    }

    /// Allocates this call's fresh roots and patches their and the arguments' addresses into
    /// the arena's pointer table.
    func bind(_ arguments: [Tensor], arena: Arena)
        -> (UnsafeMutablePointer<UnsafeMutableRawPointer>, [TensorStorage]) {
        let table = arena.pointerTable(for: self)
        var storages: [TensorStorage] = []
        storages.reserveCapacity(fresh.count)
        for root in fresh { storages.append(root.allocate()) }
        for entry in argumentEntries { table[entry.index] = arguments[entry.argument].storage.pointer }
        for entry in freshEntries { table[entry.index] = storages[entry.root].pointer }
        return (table, storages)
    }

    /// Runs one step on the table's addresses.
    func run(_ step: PreparedStep, _ table: UnsafeMutablePointer<UnsafeMutableRawPointer>,
             _ runner: PlanRunner) throws(GraphError) {
        switch step {
        case .kernel(let k, let first, let parameters):
            let code = runner.executor.run(kernel: k, buffers: table + first, elementCounts: counts + first,
                                           params: params + parameters)
            if code != 0 { throw runner.kernelError(k, code: code, bindings: bindings) }
        case .gemm(let g):
            g.run(table)
        }
    }

    /// Fills the entries that stay the same for every call on `slots`.
    func fillFixedEntries(_ table: UnsafeMutablePointer<UnsafeMutableRawPointer>, slots: [TensorStorage]) {
        for (index, source) in self.table.enumerated() {
            switch source {
            case .constant(let storage): table[index] = storage.pointer
            case .slot(let s): table[index] = slots[s].pointer
            case .argument, .fresh: continue  // patched by each call
            }
        }
    }
}

extension PreparedGemm {
    /// Runs the product through BLAS on the table's addresses.
    func run(_ table: UnsafeMutablePointer<UnsafeMutableRawPointer>) {
        ResolvedGemm(shape: shape, batch: batch, strides: strides, alpha: alpha, beta: beta, dtype: dtype,
                     a: table[a], b: table[b], c: table[c]).run()
    }
}
