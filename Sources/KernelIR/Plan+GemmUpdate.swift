import GraphIR
import TensorRuntime

/// Shared updates `W ← W ± op(A)·op(B)·alpha` accumulated by the matrix product itself.
///
/// After `updatingInPlace`, an SGD step on a weight matrix is a gemm writing the scaled
/// gradient into a temporary and a tail kernel `W[i] = W[i] + t[i]` (or `- t[i]`) over W's
/// memory. When the temporary is dense, has W's layout and nothing else touches it, the gemm
/// itself can accumulate into W (`beta = 1`, alpha negated for `-`): the temporary, its write
/// and the kernel's pass over three arrays disappear. The gemm takes the kernel's place in the
/// tail; gemms cannot fail once their sizes are checked (the runner checks a tail's sizes
/// before running any of it), so a failed call still writes nothing. Its operands must not be
/// memory any tail step overwrites.
extension Plan {
    /// The plan with each qualifying tail update kernel replaced by its gemm, accumulating.
    package func foldingGemmUpdates() -> Plan {
        guard inPlaceStepCount > 0 else { return self }
        let memory = MemoryPlan(self)
        var plan = self
        var folded: Set<Int> = []
        for s in (steps.count - inPlaceStepCount)..<steps.count {
            guard let (g, gemm) = accumulatingGemm(at: s, memory) else { continue }
            plan.steps[s] = .gemm(gemm)
            folded.insert(g)
        }
        plan.steps = plan.steps.indices.filter { !folded.contains($0) }.map { plan.steps[$0] }
        return plan.droppingUnusedKernels()
    }

    /// The plan without the kernels no step runs (a folded update's kernel), renumbered, so
    /// they are not compiled.
    func droppingUnusedKernels() -> Plan {
        var used: [Int: Int] = [:]
        for step in steps {
            if case .kernel(let k, _, _) = step, used[k] == nil { used[k] = used.count }
        }
        guard used.count < kernels.count else { return self }
        var plan = self
        plan.kernels = kernels.indices.filter { used[$0] != nil }.sorted { used[$0]! < used[$1]! }.map { kernels[$0] }
        plan.steps = steps.map { step in
            guard case .kernel(let k, let ids, let params) = step else { return step }
            return .kernel(used[k]!, buffers: ids, params: params)
        }
        return plan
    }

    /// The index of the gemm feeding tail kernel `s` and that gemm rewritten to accumulate
    /// into the kernel's in-place argument, if the kernel is `W[i] = W[i] ± t[i]` and the
    /// fold is allowed.
    private func accumulatingGemm(at s: Int, _ memory: MemoryPlan) -> (Int, GemmStep)? {
        guard case .kernel(let k, let ids, _) = steps[s], ids.count == 2,
              let (target, sign) = kernels[k].accumulation else { return nil }
        let w = ids[target], t = ids[1 - target]
        guard case .argument(let argument) = memory.storage[w.raw], inPlaceArguments.contains(argument),
              buffers[t.raw].source == .temporary, memory.members[t.raw] == [t.raw],
              buffers[t.raw].dtype == buffers[w.raw].dtype, buffers[t.raw].shape == buffers[w.raw].shape else {
            return nil
        }
        let users = steps.indices.filter { steps[$0].bufferIDs.contains { memory.roots[$0.raw] == t.raw } }
        guard users.count == 2, users[1] == s, case .gemm(var gemm) = steps[users[0]],
              gemm.c == t, gemm.beta == 0, gemm.batch == 1 else { return nil }
        let overwritten = Set(inPlaceArguments)
        for operand in [gemm.a, gemm.b] {
            if case .argument(let k) = memory.storage[operand.raw], overwritten.contains(k) { return nil }
        }
        gemm.c = w
        gemm.beta = 1
        gemm.alpha *= sign
        return (users[0], gemm)
    }
}

extension Kernel {
    /// For a kernel of exactly `for i in 0..<n { b[i] = b[i] ± c[i] }` over its two buffers:
    /// the slot of `b` (read-write) and the sign; nil otherwise.
    var accumulation: (target: Int, sign: Double)? {
        guard buffers.count == 2, body.count == 1, case .loop(let loop) = body[0], loop.lower == .intConstant(0),
              loop.carried.isEmpty, loop.body.count == 1,
              case .store(let target, let index, let value) = loop.body[0], index == .value(loop.variable),
              buffers[target].access == .readWrite, buffers[1 - target].access == .read,
              case .op(let op, let operands) = value, operands.count == 2 else { return nil }
        let own = KExpr.load(buffer: target, index: index), other = KExpr.load(buffer: 1 - target, index: index)
        if op == .add, operands == [own, other] || operands == [other, own] { return (target, 1) }
        if op == .sub, operands == [own, other] { return (target, -1) }
        return nil
    }
}
