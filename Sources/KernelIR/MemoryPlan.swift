import GraphIR
import TensorRuntime

/// Where a plan buffer's memory lives and which temporaries can share memory.
///
/// Every buffer resolves (through `.alias` chains) to a root buffer: reshape views and
/// results written in place (`Plan.writingTemporariesInPlace`, `Plan.updatingInPlace`) share
/// their root's memory. Root temporaries that
/// hold an output get fresh memory per call (the caller owns outputs); the other root
/// temporaries are live from the first to the last step that touches them or one of their
/// aliases, and temporaries whose lifetimes do not overlap share an arena slot. Sizes are
/// symbolic, so `assignSlots` runs once the sizes of a call are known (the runner caches the
/// result per argument-shape key).
package struct MemoryPlan: Sendable {
    /// What backs a root buffer.
    package enum Storage: Hashable, Sendable {
        case argument(Int)
        case constant
        /// An arena slot, live over `lifetime` (step indices).
        case temporary(lifetime: ClosedRange<Int>)
        /// Fresh memory each call, handed to the caller.
        case output
        /// A temporary that no step touches and no output needs.
        case unused
    }

    /// The root (non-alias) buffer of each buffer.
    package let roots: [Int]
    /// For each buffer, what backs its root.
    package let storage: [Storage]
    /// For each root, the buffers that resolve to it (itself first); empty for non-roots.
    package let members: [[Int]]
    /// How many buffers the in-place rewrites write over another buffer's memory.
    package let inPlaceCount: Int

    /// Analyses a plan whose alias chains are valid and acyclic (see `verifyPlan`).
    package init(_ plan: Plan) {
        let count = plan.buffers.count
        let roots = (0..<count).map { Self.root(of: $0, plan.buffers) }
        var members = [[Int]](repeating: [], count: count)
        for b in 0..<count { members[roots[b]].append(b) }
        var first = [Int?](repeating: nil, count: count), last = [Int?](repeating: nil, count: count)
        for (i, step) in plan.steps.enumerated() {
            for b in step.bufferIDs where plan.buffers.indices.contains(b.raw) {
                let r = roots[b.raw]
                first[r] = first[r] ?? i
                last[r] = i
            }
        }
        let outputRoots = Set(plan.outputs.filter { plan.buffers.indices.contains($0.raw) }.map { roots[$0.raw] })
        storage = (0..<count).map { b in
            let r = roots[b]
            switch plan.buffers[r].source {
            case .argument(let k): return .argument(k)
            case .constant: return .constant
            case .alias: preconditionFailure("root \(r) is an alias")
            case .temporary:
                if outputRoots.contains(r) { return .output }
                guard let start = first[r], let end = last[r] else { return .unused }
                return .temporary(lifetime: start...end)
            }
        }
        self.roots = roots
        self.members = members
        inPlaceCount = plan.inPlaceBuffers.count
    }

    /// Follows `.alias` links (a cycle or a dangling link is a broken invariant).
    private static func root(of buffer: Int, _ buffers: [PlanBuffer]) -> Int {
        var current = buffer
        for _ in 0...buffers.count {
            guard case .alias(let target) = buffers[current].source else { return current }
            precondition(buffers.indices.contains(target.raw), "buffer %b\(current) aliases missing \(target)")
            current = target.raw
        }
        preconditionFailure("alias cycle through %b\(buffer)")
    }

    /// The live range of a root temporary placed in the arena, nil otherwise.
    package func lifetime(of buffer: Int) -> ClosedRange<Int>? {
        if case .temporary(let lifetime) = storage[buffer] { return lifetime }
        return nil
    }

    /// Places root temporaries with known byte sizes into slots: in order of first use, each
    /// takes the smallest free slot that fits, else grows the largest free slot, else opens
    /// a new one. A slot is free for a temporary whose lifetime starts after its last
    /// occupant's ends.
    package func assignSlots(bytes: [Int: Int]) -> SlotAssignment {
        let placed = bytes.keys.compactMap { r in lifetime(of: r).map { (r, $0) } }
            .sorted { ($0.1.lowerBound, $0.0) < ($1.1.lowerBound, $1.0) }
        var slotBytes: [Int] = [], busyUntil: [Int] = [], slotOf: [Int: Int] = [:]
        for (root, lifetime) in placed {
            let need = bytes[root]!
            let free = slotBytes.indices.filter { busyUntil[$0] < lifetime.lowerBound }
            let fitting = free.filter { slotBytes[$0] >= need }
            let slot: Int
            if let best = fitting.min(by: { (slotBytes[$0], $0) < (slotBytes[$1], $1) }) {
                slot = best
            } else if let largest = free.max(by: { (slotBytes[$0], $1) < (slotBytes[$1], $0) }) {
                slot = largest
                slotBytes[slot] = need
            } else {
                slot = slotBytes.count
                slotBytes.append(need)
                busyUntil.append(0)
            }
            busyUntil[slot] = lifetime.upperBound
            slotOf[root] = slot
        }
        let statistics = MemoryStatistics(slotCount: slotBytes.count, arenaBytes: slotBytes.reduce(0, +),
                                          temporaryCount: placed.count,
                                          temporaryBytes: placed.reduce(0) { $0 + bytes[$1.0]! },
                                          inPlaceCount: inPlaceCount)
        return SlotAssignment(slotOf: slotOf, slotBytes: slotBytes, statistics: statistics)
    }
}

/// Root temporaries mapped to arena slots for one set of sizes.
package struct SlotAssignment: Hashable, Sendable {
    /// The slot of each placed root buffer.
    package var slotOf: [Int: Int]
    /// Bytes of each slot.
    package var slotBytes: [Int]
    package var statistics: MemoryStatistics
}

/// How much memory the arena takes and how much sharing saved.
package struct MemoryStatistics: Hashable, Sendable, CustomStringConvertible {
    /// Number of arena slots (each a separate 64-byte aligned allocation).
    package var slotCount: Int
    /// Bytes allocated for the arena.
    package var arenaBytes: Int
    /// Root temporaries placed in the arena.
    package var temporaryCount: Int
    /// Bytes those temporaries would take without sharing.
    package var temporaryBytes: Int
    /// Buffers written in place over a dead input or a shared variable's memory (not counted
    /// as temporaries).
    package var inPlaceCount = 0

    package var description: String {
        let inPlace = inPlaceCount == 0 ? "" : ", \(inPlaceCount) written in place"
        return "\(temporaryCount) temporaries (\(temporaryBytes) bytes) in \(slotCount) slots (\(arenaBytes) bytes)"
            + inPlace
    }
}

extension PlanStep {
    /// Every buffer the step reads or writes.
    package var bufferIDs: [BufferID] {
        switch self {
        case .kernel(_, let buffers, _): return buffers
        case .gemm(let g): return [g.a, g.b, g.c]
        case .reference(_, let inputs, let output): return inputs + [output]
        }
    }
}
