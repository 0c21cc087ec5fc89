import GraphIR
import TensorRuntime

/// Checks a plan's invariants; returns one line per problem (empty if the plan is valid).
///
/// Checked: every kernel verifies; buffer ids in steps, outputs and aliases exist; alias
/// chains end (no cycles); argument numbers are below `argumentCount` and buffers of one
/// argument agree on the dtype; kernel steps name a kernel and pass as many buffers (of the
/// kernel's dtypes) and params as it takes; gemm buffers are all f32 or all f64; reference
/// steps match their node's operand count and dtypes; nothing writes a buffer backed by an
/// argument or a constant, except that the last `inPlaceStepCount` steps — gemms and kernels
/// that cannot fail — may write `inPlaceArguments`; every `checkIndex` code has an entry in
/// `errorMessages`.
package func verifyPlan(_ plan: Plan) -> [String] {
    var problems = plan.kernels.flatMap(verifyKernel)
    problems += verifyPlanBuffers(plan)
    guard problems.isEmpty else { return problems }   // the step checks follow aliases
    let memory = MemoryPlan(plan)
    problems += verifyInPlaceTail(plan)
    let firstInPlace = plan.steps.count - plan.inPlaceStepCount
    for (i, step) in plan.steps.enumerated() {
        let writable = Set(i >= firstInPlace ? plan.inPlaceArguments : [])
        problems += verifyStep(step, plan, memory, writable).map { "step \(i): \($0)" }
    }
    for (i, output) in plan.outputs.enumerated() where !plan.buffers.indices.contains(output.raw) {
        problems.append("output \(i): buffer \(output) does not exist")
    }
    for kernel in plan.kernels {
        for code in kernel.checkCodes where plan.errorMessages[code] == nil {
            problems.append("@\(kernel.name): check code \(code) has no entry in errorMessages")
        }
    }
    return problems
}

/// Problems of buffer sources: argument numbers, argument dtypes, alias links and cycles.
private func verifyPlanBuffers(_ plan: Plan) -> [String] {
    var problems: [String] = []
    var argumentTypes: [Int: DType] = [:]
    for (i, buffer) in plan.buffers.enumerated() {
        switch buffer.source {
        case .argument(let k):
            guard (0..<plan.argumentCount).contains(k) else {
                problems.append("\(BufferID(i)): argument \(k) is outside 0..<\(plan.argumentCount)")
                continue
            }
            if let other = argumentTypes[k], other != buffer.dtype {
                problems.append("\(BufferID(i)): argument \(k) is \(buffer.dtype.shortName) here but "
                                + "\(other.shortName) in an earlier buffer")
            }
            argumentTypes[k] = argumentTypes[k] ?? buffer.dtype
        case .constant(let tensor):
            if tensor.dtype != buffer.dtype {
                problems.append("\(BufferID(i)): constant is \(tensor.dtype.shortName), buffer is \(buffer.dtype.shortName)")
            }
        case .temporary: break
        case .alias(let target):
            guard plan.buffers.indices.contains(target.raw) else {
                problems.append("\(BufferID(i)): aliases \(target), which does not exist")
                continue
            }
            if let cycle = aliasCycle(from: i, plan.buffers), cycle.min() == i {
                problems.append("\(BufferID(i)): alias chain has a cycle")
            }
        }
    }
    return problems
}

/// The buffers of the alias cycle that following `.alias` links from `start` runs into, or
/// nil if the chain ends at a non-alias buffer (or a missing one).
private func aliasCycle(from start: Int, _ buffers: [PlanBuffer]) -> [Int]? {
    var path: [Int] = [], current = start
    while case .alias(let target) = buffers[current].source {
        guard buffers.indices.contains(target.raw) else { return nil }
        if let i = path.firstIndex(of: current) { return Array(path[i...]) }
        path.append(current)
        current = target.raw
    }
    return nil
}

/// Problems of one step (buffers and aliases are already known to be valid).
private func verifyStep(_ step: PlanStep, _ plan: Plan, _ memory: MemoryPlan, _ writable: Set<Int>) -> [String] {
    let missing = step.bufferIDs.filter { !plan.buffers.indices.contains($0.raw) }
    if !missing.isEmpty {
        return missing.map { "buffer \($0) does not exist" }
    }
    switch step {
    case .kernel(let k, let buffers, let params):
        return verifyKernelStep(k, buffers, params, plan, memory, writable)
    case .gemm(let g):
        var problems: [String] = []
        let dtypes = [g.a, g.b, g.c].map { plan.buffers[$0.raw].dtype }
        if !(dtypes.allSatisfy { $0 == .float32 } || dtypes.allSatisfy { $0 == .float64 }) {
            problems.append("gemm buffers are " + dtypes.map(\.shortName).joined(separator: ", ")
                            + ", expected all f32 or all f64")
        }
        problems += readOnlyWrite(g.c, memory, writable: writable)
        return problems
    case .reference(let node, let inputs, let output):
        return verifyReferenceStep(node, inputs, output, plan, memory)
    }
}

/// Problems of a kernel step: kernel index, arity, dtypes, writes to read-only memory.
private func verifyKernelStep(_ k: Int, _ buffers: [BufferID], _ params: [Dim], _ plan: Plan,
                              _ memory: MemoryPlan, _ writable: Set<Int>) -> [String] {
    guard plan.kernels.indices.contains(k) else {
        return ["kernel \(k) does not exist (\(plan.kernels.count) kernels)"]
    }
    let kernel = plan.kernels[k]
    var problems: [String] = []
    if buffers.count != kernel.buffers.count {
        problems.append("@\(kernel.name) takes \(kernel.buffers.count) buffers, got \(buffers.count)")
    }
    if params.count != kernel.paramNames.count {
        problems.append("@\(kernel.name) takes \(kernel.paramNames.count) params, got \(params.count)")
    }
    for (id, declared) in zip(buffers, kernel.buffers) {
        let actual = plan.buffers[id.raw].dtype
        if actual != declared.dtype {
            problems.append("@\(kernel.name) buffer %\(declared.name) is \(declared.dtype.shortName), "
                            + "\(id) is \(actual.shortName)")
        }
        if declared.access != .read { problems += readOnlyWrite(id, memory, writable: writable) }
    }
    return problems
}

/// Problems of a reference step: operand count and dtypes, result dtype, read-only output.
private func verifyReferenceStep(_ node: Node, _ inputs: [BufferID], _ output: BufferID, _ plan: Plan,
                                 _ memory: MemoryPlan) -> [String] {
    var problems: [String] = []
    if inputs.count != node.inputs.count {
        problems.append("reference \(node.op.name) takes \(node.inputs.count) operands, got \(inputs.count)")
    }
    for (i, (id, operand)) in zip(inputs, node.inputs).enumerated() {
        let buffer = plan.buffers[id.raw]
        if buffer.dtype != operand.type.dtype || buffer.shape.count != operand.type.rank {
            problems.append("reference \(node.op.name) operand \(i) is \(operand.type), \(id) is "
                            + "\(buffer.dtype.shortName) of rank \(buffer.shape.count)")
        }
    }
    let result = plan.buffers[output.raw]
    if result.dtype != node.type.dtype || result.shape.count != node.type.rank {
        problems.append("reference \(node.op.name) gives \(node.type), \(output) is "
                        + "\(result.dtype.shortName) of rank \(result.shape.count)")
    }
    return problems + readOnlyWrite(output, memory)
}

/// Problems of the in-place tail: its length, its steps (kernels that cannot fail), the
/// argument numbers it may write.
private func verifyInPlaceTail(_ plan: Plan) -> [String] {
    guard (0...plan.steps.count).contains(plan.inPlaceStepCount) else {
        return ["inPlaceStepCount \(plan.inPlaceStepCount) is outside 0...\(plan.steps.count)"]
    }
    var problems: [String] = []
    for (i, step) in plan.steps.enumerated().suffix(plan.inPlaceStepCount) {
        switch step {
        case .gemm: continue
        case .kernel(let k, _, _) where plan.kernels.indices.contains(k):
            if plan.kernels[k].canFail { problems.append("step \(i): in-place tail kernel @\(plan.kernels[k].name) can fail") }
        case .kernel, .reference: problems.append("step \(i): in-place tail step is not a kernel or gemm")
        }
    }
    for k in plan.inPlaceArguments where !(0..<plan.argumentCount).contains(k) {
        problems.append("in-place argument \(k) is outside 0..<\(plan.argumentCount)")
    }
    return problems
}

/// A problem if `buffer`'s memory is a constant's or an argument's (unless in `writable`).
private func readOnlyWrite(_ buffer: BufferID, _ memory: MemoryPlan, writable: Set<Int> = []) -> [String] {
    switch memory.storage[buffer.raw] {
    case .argument(let k) where writable.contains(k): return []
    case .argument(let k): return ["writes \(buffer), which is argument \(k) memory (read only)"]
    case .constant: return ["writes \(buffer), which is constant memory (read only)"]
    case .temporary, .output, .unused: return []
    }
}
