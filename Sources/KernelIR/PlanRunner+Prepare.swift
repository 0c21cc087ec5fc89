import GraphIR
import TensorRuntime

/// Builds the `PreparedCall` of one argument-shape key, or finds that calls with these shapes
/// must take the general path.
///
/// A call is prepared when the plan has no reference steps (their results can bind
/// data-dependent sizes), every buffer's shape follows from the argument bindings, every
/// buffer fits the memory it views (an argument's memory counted by its shape), every gemm's
/// sizes are valid and no output lives in the arena. Otherwise `prepare` returns nil and the
/// general path runs (and reports any error in step order, as before).
struct CallPreparation {
    let runner: PlanRunner
    let bindings: [DimSymbol: Int]
    let layout: SlotAssignment
    private var shapes: [[Int]?]
    private var freshIndex: [Int: Int] = [:]
    private var fresh: [FreshRoot] = []
    private var table: [PreparedSource] = []
    private var counts: [Int] = []
    private var params: [Int64] = []

    /// Thrown (internally) when the call cannot be prepared.
    struct Unpreparable: Error {}

    init(runner: PlanRunner, bindings: [DimSymbol: Int], layout: SlotAssignment) {
        self.runner = runner
        self.bindings = bindings
        self.layout = layout
        shapes = Array(repeating: nil, count: runner.plan.buffers.count)
    }

    private var plan: Plan { runner.plan }
    private var memory: MemoryPlan { runner.memory }

    /// The prepared call for `arguments` (already bound to `bindings`), or nil.
    static func prepare(_ runner: PlanRunner, _ arguments: [Tensor], bindings: [DimSymbol: Int],
                        layout: SlotAssignment) -> PreparedCall? {
        guard runner.isPreparable else { return nil }
        var preparation = CallPreparation(runner: runner, bindings: bindings, layout: layout)
        return try? preparation.build(arguments)
    }

    private mutating func build(_ arguments: [Tensor]) throws(Unpreparable) -> PreparedCall {
        var steps: [PreparedStep] = [], indices: [Int] = []
        for (i, step) in plan.steps.enumerated() {
            switch step {
            case .kernel(let k, let buffers, let dims):
                steps.append(try kernel(k, buffers, dims))
                indices.append(i)
            case .gemm(let g):
                guard let prepared = try gemm(g) else { continue }
                steps.append(.gemm(prepared))
                indices.append(i)
            case .reference: throw Unpreparable()
            }
        }
        var outputs: [PreparedOutput] = []
        for id in plan.outputs {
            let source = try source(id.raw)
            if case .slot = source { throw Unpreparable() }
            outputs.append(PreparedOutput(shape: try shape(id.raw), dtype: plan.buffers[id.raw].dtype, source: source))
        }
        return PreparedCall(argumentShapes: arguments.map(\.shape), argumentDTypes: arguments.map(\.dtype),
                            bindings: bindings, layout: layout, steps: steps, stepIndices: indices, table: table,
                            counts: counts, params: params, fresh: fresh, outputs: outputs)
    }

    private mutating func kernel(_ k: Int, _ buffers: [BufferID], _ dims: [Dim]) throws(Unpreparable) -> PreparedStep {
        let step = PreparedStep.kernel(k, first: table.count, parameters: params.count)
        for id in buffers { try addEntry(id.raw) }
        for dim in dims { params.append(Int64(try size(dim))) }
        return step
    }

    /// The gemm with evaluated sizes, nil when it does nothing (an empty result); mirrors the
    /// checks of `PlanRun.runGemm`.
    private mutating func gemm(_ g: GemmStep) throws(Unpreparable) -> PreparedGemm? {
        let m = try size(g.m), n = try size(g.n), k = try size(g.k), batch = try size(g.batch)
        let strides = (a: try size(g.strideA), b: try size(g.strideB), c: try size(g.strideC))
        guard m >= 0, n >= 0, k >= 0, batch >= 0, strides.a >= 0, strides.b >= 0, strides.c >= 0 else {
            throw Unpreparable()
        }
        guard batch > 0, m > 0, n > 0 else { return nil }
        let a = try operand(g.a, rows: m * k, stride: strides.a, batch: batch)
        let b = try operand(g.b, rows: k * n, stride: strides.b, batch: batch)
        let c = try operand(g.c, rows: m * n, stride: strides.c, batch: batch)
        return PreparedGemm(shape: GemmShape(m: m, n: n, k: k, transA: g.transA, transB: g.transB), batch: batch,
                            strides: strides, alpha: g.alpha, beta: g.beta, dtype: plan.buffers[g.c.raw].dtype,
                            a: a, b: b, c: c)
    }

    private mutating func operand(_ id: BufferID, rows: Int, stride: Int, batch: Int) throws(Unpreparable) -> Int {
        let index = table.count
        try addEntry(id.raw)
        let needed = rows == 0 ? 0 : (batch - 1) * stride + rows
        guard needed <= counts[index] else { throw Unpreparable() }
        return index
    }

    /// Appends buffer `b`'s memory and element count to the table.
    private mutating func addEntry(_ b: Int) throws(Unpreparable) {
        table.append(try source(b))
        counts.append(try shape(b).reduce(1, *))
    }

    private func size(_ dim: Dim) throws(Unpreparable) -> Int {
        guard let value = dim.evaluate(bindings) else { throw Unpreparable() }
        return value
    }

    private mutating func shape(_ b: Int) throws(Unpreparable) -> [Int] {
        if let shape = shapes[b] { return shape }
        var shape: [Int] = []
        for dim in plan.buffers[b].shape { shape.append(try size(dim)) }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw Unpreparable() }
        shapes[b] = shape
        return shape
    }

    private mutating func bytes(_ b: Int) throws(Unpreparable) -> Int {
        try shape(b).reduce(1, *) * plan.buffers[b].dtype.byteSize
    }

    /// The memory behind buffer `b` (its root's), after checking `b` fits in it.
    private mutating func source(_ b: Int) throws(Unpreparable) -> PreparedSource {
        let root = memory.roots[b]
        let (source, capacity) = try rootSource(root)
        guard try bytes(b) <= capacity else { throw Unpreparable() }
        return source
    }

    private mutating func rootSource(_ root: Int) throws(Unpreparable) -> (PreparedSource, Int) {
        switch memory.storage[root] {
        case .argument(let k): return (.argument(k), try bytes(root))
        case .constant:
            guard case .constant(let tensor) = plan.buffers[root].source else { preconditionFailure("not a constant") }
            return (.constant(tensor.storage), tensor.storage.byteCount)
        case .temporary, .output, .unused:
            if let slot = layout.slotOf[root] { return (.slot(slot), layout.slotBytes[slot]) }
            if let f = freshIndex[root] { return (.fresh(f), fresh[f].bytes) }
            var largest = 0
            for member in memory.members[root] { largest = max(largest, try bytes(member)) }
            freshIndex[root] = fresh.count
            fresh.append(FreshRoot(bytes: largest, zeroFrom: try bytes(root)))
            return (.fresh(fresh.count - 1), largest)
        }
    }
}
