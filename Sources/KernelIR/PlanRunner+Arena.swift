import Synchronization
import TensorRuntime

/// The memory of one call's arena temporaries: one 64-byte aligned allocation per slot, plus
/// the pointer table of a prepared call (built on the arena's first prepared call).
///
/// A call holds its arena exclusively (see `ArenaPool`), so the table needs no lock.
final class Arena: @unchecked Sendable {
    let slots: [TensorStorage]
    /// The slot sizes this arena was laid out with.
    let slotBytes: [Int]
    private var table: UnsafeMutablePointer<UnsafeMutableRawPointer>?
    /// The prepared call `table` was filled for.
    private var tableOwner: ObjectIdentifier?

    init(_ layout: SlotAssignment) {
        slots = layout.slotBytes.map { TensorStorage(uninitializedByteCount: $0) }
        slotBytes = layout.slotBytes
    }

    deinit { table?.deallocate() }

    /// The pointer table of `prepared` with its fixed entries (constants, slots) filled in;
    /// the caller patches the argument and fresh entries.
    func pointerTable(for prepared: PreparedCall) -> UnsafeMutablePointer<UnsafeMutableRawPointer> {
        if let table, tableOwner == ObjectIdentifier(prepared) { return table }
        table?.deallocate()
        let count = prepared.table.count
        let created = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: max(count, 1))
        created.initialize(repeating: UnsafeMutableRawPointer(bitPattern: TensorStorage.alignment)!,
                           count: max(count, 1))
        prepared.fillFixedEntries(created, slots: slots)
        table = created
        tableOwner = ObjectIdentifier(prepared)
        return created
    }
}

/// Slot layouts, prepared calls and idle arenas per argument-shape key, shared by a runner's
/// calls.
///
/// A call takes an idle arena (or makes one) and gives it back when done, so concurrent
/// calls never share one. At most `maximumKeys` shape keys are kept (least recently used
/// go first), each with at most `maximumIdle` idle arenas. Keys are few, so they are
/// found by a linear scan comparing shapes (no hashing on the call path).
final class ArenaPool: Sendable {
    static let maximumKeys = 8
    static let maximumIdle = 4

    /// Whether calls with a key run prepared.
    enum Preparation {
        case pending
        case ready(PreparedCall)
        case impossible
    }

    private struct Entry {
        var key: [[Int]]
        var layout: SlotAssignment
        var preparation = Preparation.pending
        var idle: [Arena] = []
        var lastUse: Int
    }

    private struct State {
        var entries: [Entry] = []
        var clock = 0
        var arenasCreated = 0

        func index(of key: [[Int]]) -> Int? { entries.firstIndex { $0.key == key } }

        /// The entry whose key is the arguments' shapes.
        func index(matching arguments: [Tensor]) -> Int? {
            entries.firstIndex { entry in
                guard entry.key.count == arguments.count else { return false }
                for (shape, argument) in zip(entry.key, arguments) where shape != argument.shape { return false }
                return true
            }
        }
    }

    private let state = Mutex(State())

    /// The prepared call for the arguments' shapes with an idle arena (nil: make one), or nil
    /// when none is ready or the dtypes differ from the prepared ones.
    func takePrepared(_ arguments: [Tensor]) -> (PreparedCall, Arena?)? {
        state.withLock { state in
            guard let i = state.index(matching: arguments),
                  case .ready(let prepared) = state.entries[i].preparation, prepared.accepts(arguments) else {
                return nil
            }
            state.clock += 1
            state.entries[i].lastUse = state.clock
            return (prepared, state.entries[i].idle.popLast())
        }
    }

    /// Whether calls with `key` should try to prepare (once per key).
    func needsPreparation(_ key: [[Int]]) -> Bool {
        state.withLock { state in
            guard let i = state.index(of: key), case .pending = state.entries[i].preparation else { return false }
            return true
        }
    }

    /// Records the preparation of `key` (nil: calls with it take the general path).
    func setPrepared(_ prepared: PreparedCall?, for key: [[Int]]) {
        state.withLock { state in
            guard let i = state.index(of: key), case .pending = state.entries[i].preparation else { return }
            state.entries[i].preparation = prepared.map { .ready($0) } ?? .impossible
        }
    }

    /// The cached layout for `key`, or `make()`'s (then cached).
    func layout(for key: [[Int]], make: () throws -> SlotAssignment) rethrows -> SlotAssignment {
        if let layout = cachedLayout(for: key) { return layout }
        let layout = try make()
        return state.withLock { state in
            state.clock += 1
            if let i = state.index(of: key) { return state.entries[i].layout }
            if state.entries.count >= Self.maximumKeys,
               let oldest = state.entries.indices.min(by: { state.entries[$0].lastUse < state.entries[$1].lastUse }) {
                state.entries.remove(at: oldest)
            }
            state.entries.append(Entry(key: key, layout: layout, lastUse: state.clock))
            return layout
        }
    }

    /// The cached layout for `key`, if any.
    func cachedLayout(for key: [[Int]]) -> SlotAssignment? {
        state.withLock { state in
            guard let i = state.index(of: key) else { return nil }
            state.clock += 1
            state.entries[i].lastUse = state.clock
            return state.entries[i].layout
        }
    }

    /// An idle arena for `key`, or a new one laid out by `layout`.
    func take(_ key: [[Int]], _ layout: SlotAssignment) -> Arena {
        let idle: Arena? = state.withLock { state in
            guard let i = state.index(of: key) else { return nil }
            return state.entries[i].idle.popLast()
        }
        return idle ?? makeArena(layout)
    }

    /// A new arena (counted in `arenasCreated`).
    func makeArena(_ layout: SlotAssignment) -> Arena {
        state.withLock { $0.arenasCreated += 1 }
        return Arena(layout)
    }

    /// Returns an arena after a call (dropped if its key was evicted or enough are idle).
    func give(_ arena: Arena, _ key: [[Int]]) {
        state.withLock { state in
            guard let i = state.index(of: key), state.entries[i].idle.count < Self.maximumIdle,
                  state.entries[i].layout.slotBytes == arena.slotBytes else { return }
            state.entries[i].idle.append(arena)
        }
    }

    /// How many arenas calls have allocated so far (for tests of reuse).
    var arenasCreated: Int { state.withLock { $0.arenasCreated } }
}
