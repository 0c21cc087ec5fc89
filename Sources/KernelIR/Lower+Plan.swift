import GraphIR
import TensorRuntime

/// Turns a schedule into a plan: buffers, kernels named k0, k1, ... in run order, steps.
struct PlanBuilder {
    let schedule: Schedule
    let internalNodes: Set<Node>
    let arguments: [Node]
    private var buffers: [PlanBuffer] = []
    private var bufferOf: [Node: BufferID] = [:]
    private var bufferNames: [String] = []
    private var kernels: [Kernel] = []
    private var steps: [PlanStep] = []
    private var failures: [PlanErrorMessage] = []

    init(schedule: Schedule, internalNodes: Set<Node>, arguments: [Node]) {
        self.schedule = schedule
        self.internalNodes = internalNodes
        self.arguments = arguments
    }

    mutating func build() throws -> Plan {
        assignBuffers()
        for step in schedule.steps {
            switch step {
            case .kernel(let group): try addKernel(group)
            case .gemm(let plan): addGemm(plan)
            case .reference(let node):
                steps.append(.reference(node, inputs: node.inputs.map { bufferOf[$0]! }, output: bufferOf[node]!))
            }
        }
        var plan = Plan(kernels: kernels, buffers: buffers, steps: steps,
                        outputs: schedule.graph.outputs.map { bufferOf[$0]! }, argumentCount: arguments.count)
        plan.name = schedule.graph.name
        plan.argumentLabels = arguments.map(Self.argumentLabel)
        plan.bufferNodes = Dictionary(uniqueKeysWithValues: bufferOf.map { ($0.value, $0.key) })
        for (i, message) in failures.enumerated() { plan.errorMessages[Int32(i + 1)] = message }
        return plan
    }

    /// Arguments first (buffer k is argument k), then materialized values in topological order.
    private mutating func assignBuffers() {
        for (k, leaf) in arguments.enumerated() {
            add(leaf, PlanBuffer(dtype: leaf.type.dtype, shape: leaf.type.shape, source: .argument(k)),
                name: Self.argumentName(leaf))
        }
        for node in schedule.graph.nodes where schedule.materialized.contains(node) && bufferOf[node] == nil {
            let source: BufferSource
            if let viewed = schedule.aliases[node] {
                source = .alias(bufferOf[viewed]!)
            } else if case .constant(let value) = node.op {
                source = .constant(value)
            } else {
                source = .temporary
            }
            add(node, PlanBuffer(dtype: node.type.dtype, shape: node.type.shape, source: source),
                name: "t\(buffers.count)")
        }
    }

    private mutating func add(_ node: Node, _ buffer: PlanBuffer, name: String) {
        bufferOf[node] = BufferID(buffers.count)
        buffers.append(buffer)
        bufferNames.append(name)
    }

    /// `'x'` for an input, `shared 'W'` for a shared variable (as call errors name them).
    private static func argumentLabel(_ leaf: Node) -> String {
        if case .input(let name, _) = leaf.op { return "'\(name)'" }
        if case .shared(let storage) = leaf.op { return "shared '\(storage.name)'" }
        return leaf.description
    }

    /// An argument's name, made identifier-safe.
    private static func argumentName(_ leaf: Node) -> String {
        var raw = "arg"
        if case .input(let name, _) = leaf.op { raw = name }
        if case .shared(let storage) = leaf.op { raw = storage.name }
        let safe = String(raw.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        return safe.isEmpty ? "arg" : safe
    }

    private mutating func addKernel(_ group: FusedGroup) throws {
        let name = "k\(kernels.count)"
        var lowered = try GroupLowering.lower(group, materialized: schedule.materialized, internalNodes: internalNodes,
                                              name: name, firstCode: Int32(failures.count + 1))
        let ids = lowered.bufferNodes.map { bufferOf[$0]! }
        var used = Set<String>()
        for (slot, id) in ids.enumerated() {
            var bufferName = bufferNames[id.raw]
            if !used.insert(bufferName).inserted { bufferName += "_\(id.raw)" }
            lowered.kernel.buffers[slot].name = bufferName
        }
        lowered.kernel.paramNames = Self.paramNames(lowered.params)
        failures += lowered.failures
        steps.append(.kernel(kernels.count, buffers: ids, params: lowered.params))
        kernels.append(lowered.kernel)
    }

    /// Parameter names: a symbol's hint (`x0` for `?x0`), else `d0`, `d1`, ... (made unique).
    static func paramNames(_ dims: [Dim]) -> [String] {
        var used = Set<String>()
        return dims.enumerated().map { i, d in
            var name = "d\(i)"
            if case .symbol(let s) = d {
                let safe = String(s.hint.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
                if !safe.isEmpty, !(safe.first!.isNumber) { name = safe }
            }
            while !used.insert(name).inserted { name += "_" }
            return name
        }
    }

    /// A library product; operands whose inner sizes are spelled differently get a check kernel.
    private mutating func addGemm(_ plan: GemmPlan) {
        let a = plan.node.inputs[0].type.shape, b = plan.node.inputs[1].type.shape
        var step: GemmStep
        if case .batchedDot = plan.node.op {
            step = GemmStep(a: bufferOf[plan.a]!, b: bufferOf[plan.b]!, c: bufferOf[plan.output]!,
                            transA: plan.transA, transB: plan.transB, m: a[1], n: b[2], k: a[2], alpha: plan.alpha,
                            batch: a[0], strideA: a[1] * a[2], strideB: b[1] * b[2], strideC: a[1] * b[2])
            addSizeCheck([a[0], a[2]], [b[0], b[1]], plan.node)
        } else {
            step = GemmStep(a: bufferOf[plan.a]!, b: bufferOf[plan.b]!, c: bufferOf[plan.output]!,
                            transA: plan.transA, transB: plan.transB, m: a.count == 2 ? a[0] : 1,
                            n: b.count == 2 ? b[1] : 1, k: a[a.count - 1], alpha: plan.alpha)
            addSizeCheck([a[a.count - 1]], [b[0]], plan.node)
        }
        step.beta = 0
        steps.append(.gemm(step))
    }

    /// A kernel of `checkIndex` statements asserting `a[i] == b[i]` where they are spelled differently.
    private mutating func addSizeCheck(_ a: [Dim], _ b: [Dim], _ node: Node) {
        var e = KernelEmitter(firstCode: Int32(failures.count + 1))
        for (x, y) in zip(a, b) where x != y {
            e.check(IndexMath.sub(e.dim(x), e.dim(y)), bound: .intConstant(1),
                    GroupLowering.sizeMismatch(x, y, node))
        }
        guard !e.failures.isEmpty else { return }
        var kernel = e.kernel(named: "k\(kernels.count)", bufferTypes: [])
        kernel.paramNames = Self.paramNames(e.params)
        failures += e.failures
        steps.append(.kernel(kernels.count, buffers: [], params: e.params))
        kernels.append(kernel)
    }
}
