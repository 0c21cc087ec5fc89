import Synchronization
import TensorRuntime

/// The memory of one call's arena temporaries: one 64-byte aligned allocation per slot.
final class Arena: Sendable {
    let slots: [TensorStorage]

    init(_ layout: SlotAssignment) {
        slots = layout.slotBytes.map { TensorStorage(byteCount: $0) }
    }
}

/// Slot layouts and idle arenas per argument-shape key, shared by a runner's calls.
///
/// A call takes an idle arena (or makes one) and gives it back when done, so concurrent
/// calls never share one. At most `maximumKeys` shape keys are kept (least recently used
/// go first), each with at most `maximumIdle` idle arenas.
final class ArenaPool: Sendable {
    static let maximumKeys = 8
    static let maximumIdle = 4

    private struct Entry {
        var layout: SlotAssignment
        var idle: [Arena] = []
        var lastUse: Int
    }

    private struct State {
        var entries: [[[Int]]: Entry] = [:]
        var clock = 0
        var arenasCreated = 0
    }

    private let state = Mutex(State())

    /// The cached layout for `key`, or `make()`'s (then cached).
    func layout(for key: [[Int]], make: () throws -> SlotAssignment) rethrows -> SlotAssignment {
        if let layout = cachedLayout(for: key) { return layout }
        let layout = try make()
        return state.withLock { state in
            state.clock += 1
            if let entry = state.entries[key] { return entry.layout }
            if state.entries.count >= Self.maximumKeys,
               let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
                state.entries[oldest] = nil
            }
            state.entries[key] = Entry(layout: layout, lastUse: state.clock)
            return layout
        }
    }

    /// The cached layout for `key`, if any.
    func cachedLayout(for key: [[Int]]) -> SlotAssignment? {
        state.withLock { state in
            state.clock += 1
            state.entries[key]?.lastUse = state.clock
            return state.entries[key]?.layout
        }
    }

    /// An idle arena for `key`, or a new one laid out by `layout`.
    func take(_ key: [[Int]], _ layout: SlotAssignment) -> Arena {
        let idle: Arena? = state.withLock { state in
            guard let arena = state.entries[key]?.idle.popLast() else {
                state.arenasCreated += 1
                return nil
            }
            return arena
        }
        return idle ?? Arena(layout)
    }

    /// Returns an arena after a call (dropped if its key was evicted or enough are idle).
    func give(_ arena: Arena, _ key: [[Int]]) {
        state.withLock { state in
            guard var entry = state.entries[key], entry.idle.count < Self.maximumIdle,
                  entry.layout.slotBytes == arena.slots.map(\.byteCount) else { return }
            entry.idle.append(arena)
            state.entries[key] = entry
        }
    }

    /// How many arenas calls have allocated so far (for tests of reuse).
    var arenasCreated: Int { state.withLock { $0.arenasCreated } }
}
