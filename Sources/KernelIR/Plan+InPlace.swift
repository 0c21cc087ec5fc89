import GraphIR
import TensorRuntime

/// A shared-variable update of a plan: output `output` is the new value of argument
/// `argument` (the variable's snapshot).
package struct InPlaceUpdate: Hashable, Sendable {
    package var output: Int
    package var argument: Int

    package init(output: Int, argument: Int) {
        self.output = output
        self.argument = argument
    }
}

/// In-place rewrites of a lowered plan, applied before its kernels are compiled.
///
/// Updates: an update value written by an elementwise kernel that reads the variable's
/// snapshot at the same index it writes (`Kernel.canWrite(_:over:)`), that cannot fail, and
/// whose other results no step outside the rewrite reads later, is written into the
/// snapshot's memory. Those kernels move to the end of the plan (nothing but outputs depends on
/// update values), after every step that can fail, so a failed call has written no argument;
/// a kernel stays in place (and writes fresh memory) when a later moved kernel still reads the
/// variable's old value. Temporaries: a kernel's result written over a temporary input (or a
/// view of one) whose memory's last use is this kernel (same dtype and shape, same-index
/// access) shares its memory.
extension Plan {
    /// The plan with the updates that qualify written in place (see the extension's comment);
    /// sets `inPlaceArguments`, `inPlaceStepCount` and `inPlaceBuffers`.
    package func updatingInPlace(_ updates: [InPlaceUpdate]) -> Plan {
        let memory = MemoryPlan(self)
        var candidates: [Int: [(u: Int, a: Int, argument: Int)]] = [:]
        for update in updates {
            if let (step, u, a) = updateCandidate(update, memory) {
                candidates[step, default: []].append((u, a, update.argument))
            }
        }
        let moved = movableSteps(Set(candidates.keys), candidates.mapValues { $0.map(\.argument) }, memory)
        guard !moved.isEmpty else { return self }
        var plan = self
        plan.steps = steps.indices.filter { !moved.contains($0) }.map { steps[$0] } + moved.sorted().map { steps[$0] }
        plan.inPlaceStepCount = moved.count
        let firstMoved = steps.count - moved.count
        for (offset, step) in moved.sorted().enumerated() {
            for candidate in candidates[step]! where plan.merge(candidate.u, over: candidate.a, at: firstMoved + offset) {
                plan.inPlaceArguments.append(candidate.argument)
            }
        }
        plan.inPlaceArguments.sort()
        return plan
    }

    /// The plan with kernel results written over dead temporary inputs where allowed.
    package func writingTemporariesInPlace() -> Plan {
        var plan = self
        var memory = MemoryPlan(plan)
        for s in plan.steps.indices {
            while case .kernel(let k, let ids, _) = plan.steps[s],
                  let (t, source) = plan.temporaryPair(plan.kernels[k], ids, step: s, memory) {
                precondition(plan.merge(t, over: source, at: s), "checked in-place merge failed")
                memory = MemoryPlan(plan)
            }
        }
        return plan
    }

    /// The kernel step writing update `update`'s value, that value's buffer and the argument
    /// buffer the kernel reads, if the value can be written in place.
    private func updateCandidate(_ update: InPlaceUpdate, _ memory: MemoryPlan) -> (Int, Int, Int)? {
        guard outputs.indices.contains(update.output) else { return nil }
        let u = outputs[update.output].raw
        guard buffers[u].source == .temporary, memory.members[u] == [u],
              outputs.filter({ $0.raw == u }).count == 1,
              !outputs.contains(where: { memory.storage[$0.raw] == .argument(update.argument) }),
              let s = steps.firstIndex(where: { $0.bufferIDs.contains(BufferID(u)) }),
              case .kernel(let k, let ids, _) = steps[s], !kernels[k].canFail,
              let o = ids.firstIndex(of: BufferID(u)),
              let i = ids.firstIndex(where: { buffers[$0.raw].source == .argument(update.argument) }),
              ids.filter({ $0.raw == u }).count == 1,
              ids.filter({ memory.storage[$0.raw] == .argument(update.argument) }).count == 1 else { return nil }
        let a = ids[i].raw
        guard sameLayout(u, a), kernels[k].canWrite(o, over: i) else { return nil }
        return (s, u, a)
    }

    /// The largest subset of `candidates` that can move to the end of the plan: no later step
    /// left behind reads what a moved step writes or writes what it reads, and no later moved
    /// step reads an argument an earlier moved step overwrites.
    private func movableSteps(_ candidates: Set<Int>, _ arguments: [Int: [Int]], _ memory: MemoryPlan) -> Set<Int> {
        var moved = candidates
        var changed = true
        while changed {
            changed = false
            for c in moved.sorted() {
                let written = Set(writtenRoots(c, memory))
                let touched = Set(steps[c].bufferIDs.map { memory.roots[$0.raw] })
                let overwritten = Set(arguments[c] ?? [])
                let conflict = steps.indices.contains { s in
                    guard s > c else { return false }
                    let roots = steps[s].bufferIDs.map { memory.roots[$0.raw] }
                    if !moved.contains(s) {
                        return roots.contains(where: written.contains) || writtenRoots(s, memory).contains(where: touched.contains)
                    }
                    return steps[s].bufferIDs.contains { id in
                        if case .argument(let k) = memory.storage[id.raw] { return overwritten.contains(k) }
                        return false
                    }
                }
                if conflict {
                    moved.remove(c)
                    changed = true
                }
            }
        }
        return moved
    }

    /// The roots of the buffers step `s` writes.
    private func writtenRoots(_ s: Int, _ memory: MemoryPlan) -> [Int] {
        switch steps[s] {
        case .kernel(let k, let ids, _):
            return zip(ids, kernels[k].buffers).filter { $0.1.access != .read }.map { memory.roots[$0.0.raw] }
        case .gemm(let g): return [memory.roots[g.c.raw]]
        case .reference(_, _, let output): return [memory.roots[output.raw]]
        }
    }

    /// A result of kernel step `s` and a temporary input it can be written over.
    private func temporaryPair(_ kernel: Kernel, _ ids: [BufferID], step s: Int,
                               _ memory: MemoryPlan) -> (Int, Int)? {
        let counts = Dictionary(ids.map { (memory.roots[$0.raw], 1) }, uniquingKeysWith: +)
        for (o, t) in ids.enumerated() where kernel.buffers[o].access == .write {
            guard buffers[t.raw].source == .temporary, case .temporary = memory.storage[t.raw],
                  counts[t.raw] == 1 else { continue }
            for (i, source) in ids.enumerated() where kernel.buffers[i].access == .read {
                let root = memory.roots[source.raw]
                guard buffers[root].source == .temporary, counts[root] == 1, memory.lifetime(of: root)?.upperBound == s,
                      sameLayout(t.raw, source.raw), kernel.canWrite(o, over: i) else { continue }
                return (t.raw, source.raw)
            }
        }
        return nil
    }

    /// True if buffers `a` and `b` have the same dtype and (symbolic) shape.
    private func sameLayout(_ a: Int, _ b: Int) -> Bool {
        buffers[a].dtype == buffers[b].dtype && buffers[a].shape == buffers[b].shape
    }

    /// Makes buffer `output` an alias of `input` and rewrites kernel step `s` to write it
    /// through `input`'s slot; false (nothing changed) if the kernel does not allow it.
    private mutating func merge(_ output: Int, over input: Int, at s: Int) -> Bool {
        guard case .kernel(let k, var ids, let params) = steps[s],
              let o = ids.firstIndex(of: BufferID(output)), let i = ids.firstIndex(of: BufferID(input)),
              kernels[k].canWrite(o, over: i) else { return false }
        let kernel = kernels[k].writing(o, over: i)
        ids.remove(at: o)
        let shared = steps.indices.contains { t in
            if t != s, case .kernel(let other, _, _) = steps[t] { return other == k }
            return false
        }
        var index = k
        if shared {
            index = kernels.count
            var copy = kernel
            copy.name += "_ip\(index)"
            kernels.append(copy)
        } else {
            kernels[k] = kernel
        }
        steps[s] = .kernel(index, buffers: ids, params: params)
        buffers[output].source = .alias(BufferID(input))
        inPlaceBuffers.insert(BufferID(output))
        return true
    }
}
