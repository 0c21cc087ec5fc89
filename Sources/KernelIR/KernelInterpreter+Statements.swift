import GraphIR
import TensorRuntime

extension ClosureBuilder {
    /// The closure of a statement (defining the values it binds).
    mutating func statement(_ stmt: KStmt) -> StmtCode {
        switch stmt {
        case .loop(let loop): return self.loop(loop)
        case .assign(let id, let dtype, let value):
            let code = expression(value)
            let slot = define(id, dtype)
            if dtype.isFloatingPoint {
                let c = code.asDouble
                return { f in f.doubles[slot] = c(f); return true }
            }
            let c = code.asInt
            return { f in f.ints[slot] = c(f); return true }
        case .store(let buffer, let index, let value):
            return store(buffer, int(index), expression(value))
        case .yield(let values):
            guard let targets = yieldTargets.last, targets.count == values.count else {
                preconditionFailure("yield without matching carried values")
            }
            return yield(values.map(expression), targets)
        case .checkIndex(let index, let bound, let code):
            let i = int(index), n = int(bound)
            return { f in
                let value = i(f)
                guard value >= 0, value < n(f) else { f.failure = code; return false }
                return true
            }
        }
    }

    /// Evaluates every yielded value into scratch slots, then moves them to the carried slots.
    private func yield(_ codes: [LaneCode], _ targets: [YieldTarget]) -> StmtCode {
        var doubleMoves: [(DoubleCode, Int, Int)] = [], intMoves: [(IntCode, Int, Int)] = []
        for (code, target) in zip(codes, targets) {
            if target.isDouble {
                doubleMoves.append((code.asDouble, target.scratch, target.slot))
            } else {
                intMoves.append((code.asInt, target.scratch, target.slot))
            }
        }
        if doubleMoves.count == 1, intMoves.isEmpty {
            let (c, _, slot) = doubleMoves[0]
            return { f in f.doubles[slot] = c(f); return true }
        }
        if intMoves.count == 1, doubleMoves.isEmpty {
            let (c, _, slot) = intMoves[0]
            return { f in f.ints[slot] = c(f); return true }
        }
        return { f in
            for (c, scratch, _) in doubleMoves { f.doubles[scratch] = c(f) }
            for (c, scratch, _) in intMoves { f.ints[scratch] = c(f) }
            for (_, scratch, slot) in doubleMoves { f.doubles[slot] = f.doubles[scratch] }
            for (_, scratch, slot) in intMoves { f.ints[slot] = f.ints[scratch] }
            return true
        }
    }

    /// A counted loop: bounds and initial values are evaluated once before the first
    /// iteration; the carried slots hold the final values afterwards.
    private mutating func loop(_ loop: Loop) -> StmtCode {
        let lower = int(loop.lower), upper = int(loop.upper)
        let initials = loop.carried.map { expression($0.initial) }
        let variable = define(loop.variable, .int64)
        var targets: [YieldTarget] = []
        var initialMoves: [(LaneCode, YieldTarget)] = []
        for (value, initial) in zip(loop.carried, initials) {
            let isDouble = value.dtype.isFloatingPoint
            let target = YieldTarget(isDouble: isDouble, slot: define(value.id, value.dtype),
                                     scratch: newSlot(double: isDouble))
            targets.append(target)
            initialMoves.append((initial, target))
        }
        yieldTargets.append(targets)
        let body = loop.body.map { statement($0) }
        yieldTargets.removeLast()
        let start = yield(initialMoves.map(\.0), initialMoves.map(\.1))
        return { f in
            let end = upper(f)
            var i = lower(f)
            _ = start(f)
            while i < end {
                f.ints[variable] = i
                for stmt in body where !stmt(f) { return false }
                i += 1
            }
            return true
        }
    }
}
