import CLLVM
import GraphIR
import KernelIR
import TensorRuntime

extension KernelEmitter {
    /// Emits a block of statements in order.
    func block(_ statements: [KStmt]) {
        for statement in statements { self.statement(statement) }
    }

    /// Emits one statement; subexpressions are shared only within it.
    func statement(_ statement: KStmt) {
        frame.memo = [:]
        switch statement {
        case .loop(let loop):
            if loop.parallel, loop.carried.isEmpty, !frame.outlined, frame.scopes.count == 1 {
                parallelLoop(loop)
            } else {
                serialLoop(loop)
            }
        case .assign(let id, let dtype, let value):
            define(id, dtype, expression(value))
        case .store(let buffer, let index, let value):
            let dtype = kernel.buffers[buffer].dtype
            let address = b.elementPointer(b.memoryType(dtype), frame.buffers[buffer], expression(index))
            b.storeElement(dtype, expression(value), to: address)
        case .yield(let values):
            frame.yielded = values.map(expression)
        case .checkIndex(let index, let bound, let code):
            checkIndex(expression(index), expression(bound), code)
        }
    }

    /// Binds `id` in the innermost scope.
    func define(_ id: ValueID, _ dtype: DType, _ value: IRValue) {
        frame.scopes[frame.scopes.count - 1][id] = value
        dtypes[id] = dtype
    }

    /// The value bound to `id` (the verifier guarantees it is in scope).
    func lookup(_ id: ValueID) -> IRValue {
        for scope in frame.scopes.reversed() {
            if let value = scope[id] { return value }
        }
        preconditionFailure("\(id) is not in scope in kernel @\(kernel.name)")
    }

    /// `0 <= index < bound`, or return `code` from the function at once.
    private func checkIndex(_ index: IRValue, _ bound: IRValue, _ code: Int32) {
        let inBounds = b.and(b.icmp(LLVMIntSGE, index, b.i64(0)), b.icmp(LLVMIntSLT, index, bound))
        returnEarly(unless: inBounds, code: b.i32(code))
    }

    /// Branches to a block returning `code` where `condition` is false; continues after it.
    func returnEarly(unless condition: IRValue, code: IRValue) {
        guard let function = frame.function else { preconditionFailure("no function being emitted") }
        let failure = b.appendBlock(function, "check.fail")
        let success = b.appendBlock(function, "check.ok")
        b.branch(if: condition, then: success, else: failure)
        b.position(atEndOf: failure)
        b.return(code)
        b.position(atEndOf: success)
    }

    /// A counted loop with carried values; after it the carried ids name the final values.
    func serialLoop(_ loop: Loop) {
        let lower = expression(loop.lower), upper = expression(loop.upper)
        let initial = loop.carried.map { expression($0.initial) }
        countedLoop(loop, from: lower, to: upper, initial: initial)
    }

    /// Emits `loop`'s body over `[lower, upper)` with the given initial carried values; a
    /// `vectorize` loop gets the hints of `attachLoopHints`.
    func countedLoop(_ loop: Loop, from lower: IRValue, to upper: IRValue, initial: [IRValue]) {
        defer { if Self.canVectorize(loop) { attachLoopHints(latchBefore: b.currentBlock) } }
        let finals = b.emitLoop(from: lower, to: upper, carrying: initial,
                                vectorize: false) { _, index, carried in
            frame.scopes.append([:])
            define(loop.variable, .int64, index)
            for (value, current) in zip(loop.carried, carried) { define(value.id, value.dtype, current) }
            let outer = frame.yielded
            frame.yielded = nil
            block(loop.body)
            let next = frame.yielded ?? []
            frame.yielded = outer
            frame.scopes.removeLast()
            precondition(next.count == loop.carried.count, "loop in @\(kernel.name) yields \(next.count) values "
                         + "for \(loop.carried.count) carried values")
            return next
        }
        for (value, final) in zip(loop.carried, finals) { define(value.id, value.dtype, final) }
    }
}
