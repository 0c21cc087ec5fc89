import GraphIR
import TensorRuntime

/// Whether a kernel may write one of its outputs over one of its inputs, and the rewrite that
/// does it.
///
/// Writing output `O` over input `I` (one memory for both) keeps the kernel's meaning when
/// every element of `I` is read only before `O` overwrites it. The check is syntactic and
/// conservative: `O` is stored exactly once; every load of `I` sits in the same loop body as
/// that store, in a statement before it (or in the store itself), at the same index (after
/// substituting `let`s); and that index is injective over the enclosing loops — a row-major
/// flat index `((v0 * U1 + v1) * U2 + v2)...` of every enclosing loop variable `vk`, each loop
/// running over `0..<Uk` (or the constant 0 outside any loop). So iteration `p` reads `I[e(p)]`
/// and then writes `O[e(p)]`, and no other iteration touches `e(p)`: elementwise kernels pass,
/// broadcasts of `I`, reductions and gathers from `I` do not.
extension Kernel {
    /// True if some statement can fail (a `checkIndex`).
    package var canFail: Bool { !checkCodes.isEmpty }

    /// True if buffer `output` (write only) can be written over buffer `input` (read only,
    /// same dtype) without changing the results (see the type's comment).
    package func canWrite(_ output: Int, over input: Int) -> Bool {
        guard output != input, buffers.indices.contains(output), buffers.indices.contains(input),
              buffers[output].access == .write, buffers[input].access == .read,
              buffers[output].dtype == buffers[input].dtype else { return false }
        var scan = InPlaceScan(output: output, input: input)
        scan.visit(body, loops: [], position: [], values: [:])
        guard scan.consistent, let store = scan.store else { return false }
        for load in scan.loads {
            guard load.loops.map(\.variable) == store.loops.map(\.variable), load.index == store.index,
                  load.position.lexicographicallyPrecedes(store.position) || load.position == store.position
            else { return false }
        }
        return InPlaceScan.isFlatIndex(store.index, over: store.loops)
    }

    /// The kernel with buffer `output` merged into buffer `input`: stores to `output` go to
    /// `input`, which becomes `readWrite`; `output`'s slot is removed (later slots move down by
    /// one). The caller passes the step's buffers without `output`'s.
    package func writing(_ output: Int, over input: Int) -> Kernel {
        precondition(output != input && buffers.indices.contains(output) && buffers.indices.contains(input),
                     "bad in-place merge of buffer \(output) into \(input) in @\(name)")
        var kernel = self
        kernel.buffers[input].access = .readWrite
        kernel.buffers.remove(at: output)
        let slot = { (b: Int) in b == output ? (input > output ? input - 1 : input) : (b > output ? b - 1 : b) }
        kernel.body = body.map { $0.renumberingBuffers(slot) }
        return kernel
    }
}

/// One load of the input or store to the output found by `InPlaceScan`.
private struct Access {
    /// The loop variables enclosing the access, outermost first.
    var loops: [Loop]
    /// Statement indices from the kernel body down to the access's statement.
    var position: [Int]
    /// The element index with `let`s substituted.
    var index: KExpr
}

/// Collects the loads of `input` and stores to `output` of a kernel body.
private struct InPlaceScan {
    let output: Int
    let input: Int
    var loads: [Access] = []
    var store: Access?
    /// False once a second store to `output` or a load of it shows up.
    var consistent = true

    init(output: Int, input: Int) {
        self.output = output
        self.input = input
    }

    mutating func visit(_ body: [KStmt], loops: [Loop], position: [Int], values: [ValueID: KExpr]) {
        var values = values
        for (i, statement) in body.enumerated() {
            let here = position + [i]
            switch statement {
            case .loop(let loop):
                expressions([loop.lower, loop.upper] + loop.carried.map(\.initial), loops, here, values)
                visit(loop.body, loops: loops + [loop], position: here, values: values)
            case .assign(let id, _, let value):
                expressions([value], loops, here, values)
                values[id] = substitute(value, values)
            case .store(let buffer, let index, let value):
                expressions([index, value], loops, here, values)
                guard buffer == output else { continue }
                if store != nil { consistent = false }
                store = Access(loops: loops, position: here, index: substitute(index, values))
            case .yield(let next): expressions(next, loops, here, values)
            case .checkIndex(let index, let bound, _): expressions([index, bound], loops, here, values)
            }
        }
    }

    private mutating func expressions(_ list: [KExpr], _ loops: [Loop], _ position: [Int],
                                      _ values: [ValueID: KExpr]) {
        for e in list { expression(e, loops, position, values) }
    }

    private mutating func expression(_ e: KExpr, _ loops: [Loop], _ position: [Int], _ values: [ValueID: KExpr]) {
        switch e {
        case .constant, .intConstant, .param, .value: return
        case .load(let buffer, let index):
            expression(index, loops, position, values)
            if buffer == output { consistent = false }
            if buffer == input { loads.append(Access(loops: loops, position: position, index: substitute(index, values))) }
        case .op(_, let operands): expressions(operands, loops, position, values)
        case .index(_, let a, let b): expressions([a, b], loops, position, values)
        }
    }

    /// `e` with let-bound values replaced by their (already substituted) expressions.
    private func substitute(_ e: KExpr, _ values: [ValueID: KExpr]) -> KExpr {
        switch e {
        case .constant, .intConstant, .param: return e
        case .value(let id): return values[id] ?? e
        case .load(let buffer, let index): return .load(buffer: buffer, index: substitute(index, values))
        case .op(let op, let operands): return .op(op, operands.map { substitute($0, values) })
        case .index(let op, let a, let b): return .index(op, substitute(a, values), substitute(b, values))
        }
    }

    /// True if `e` is the row-major flat index of all of `loops`' variables (each loop over
    /// `0..<upper`), innermost varying fastest; the constant 0 outside any loop.
    static func isFlatIndex(_ e: KExpr, over loops: [Loop]) -> Bool {
        guard let last = loops.last else { return e == .intConstant(0) }
        guard last.lower == .intConstant(0) else { return false }
        let outer = Array(loops.dropLast())
        if e == .value(last.variable) { return outer.isEmpty }
        guard case .index(.add, let a, let b) = e else { return false }
        for (rest, variable) in [(a, b), (b, a)] where variable == .value(last.variable) {
            guard case .index(.mul, let x, let y) = rest else { continue }
            if (y == last.upper && isFlatIndex(x, over: outer)) || (x == last.upper && isFlatIndex(y, over: outer)) {
                return true
            }
        }
        return false
    }
}

extension KStmt {
    /// The statement with every buffer number `b` replaced by `slot(b)`.
    func renumberingBuffers(_ slot: (Int) -> Int) -> KStmt {
        switch self {
        case .loop(var loop):
            loop.lower = loop.lower.renumberingBuffers(slot)
            loop.upper = loop.upper.renumberingBuffers(slot)
            loop.carried = loop.carried.map { var c = $0; c.initial = c.initial.renumberingBuffers(slot); return c }
            loop.body = loop.body.map { $0.renumberingBuffers(slot) }
            return .loop(loop)
        case .assign(let id, let dtype, let value): return .assign(id, dtype, value.renumberingBuffers(slot))
        case .store(let buffer, let index, let value):
            return .store(buffer: slot(buffer), index: index.renumberingBuffers(slot), value: value.renumberingBuffers(slot))
        case .yield(let values): return .yield(values.map { $0.renumberingBuffers(slot) })
        case .checkIndex(let index, let bound, let code):
            return .checkIndex(index.renumberingBuffers(slot), bound: bound.renumberingBuffers(slot), code: code)
        }
    }
}

extension KExpr {
    /// The expression with every buffer number `b` replaced by `slot(b)`.
    func renumberingBuffers(_ slot: (Int) -> Int) -> KExpr {
        switch self {
        case .constant, .intConstant, .param, .value: return self
        case .load(let buffer, let index): return .load(buffer: slot(buffer), index: index.renumberingBuffers(slot))
        case .op(let op, let operands): return .op(op, operands.map { $0.renumberingBuffers(slot) })
        case .index(let op, let a, let b): return .index(op, a.renumberingBuffers(slot), b.renumberingBuffers(slot))
        }
    }
}
