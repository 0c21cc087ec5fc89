import GraphIR
import TensorRuntime

/// Checks a kernel's invariants; returns one line per problem (empty if the kernel is valid).
///
/// Checked: every value is defined once, before use and in scope (a loop's variable and
/// carried values inside its body, carried values also after it, assignments until the end
/// of their block); expression dtypes follow `ScalarOp`'s rules (one operand dtype, bool
/// comparisons and logic, `select(bool, T, T)`, `cast`); index expressions, loop bounds and
/// `checkIndex` operands are int64; loads and stores name one of the kernel's buffers with
/// its dtype, never load from a `write` buffer or store to a `read` one; a loop with carried
/// values ends with a `yield` of matching count and dtypes and no other `yield` appears;
/// `parallel` only on outermost loops without carried values; params exist; check codes are
/// non-zero; buffer and param names are unique.
package func verifyKernel(_ kernel: Kernel) -> [String] {
    var checker = KernelChecker(kernel: kernel)
    checker.checkNames()
    checker.checkBlock(kernel.body, carried: nil, depth: 0)
    return checker.problems.map { "@\(kernel.name): \($0)" }
}

/// The state of one kernel verification: scopes of defined values and the problems found.
private struct KernelChecker {
    let kernel: Kernel
    let printer: LoopIRPrinter
    var problems: [String] = []
    /// Values visible at the current point, innermost block last.
    private var scopes: [[ValueID: DType]] = [[:]]
    /// Every value defined so far (each may be defined once).
    private var defined: Set<ValueID> = []

    init(kernel: Kernel) {
        self.kernel = kernel
        printer = LoopIRPrinter(kernel: kernel)
    }

    mutating func checkNames() {
        let buffers = kernel.buffers.map(\.name)
        for (i, name) in buffers.enumerated() where buffers[..<i].contains(name) {
            problems.append("buffer name %\(name) is used twice")
        }
        for (i, name) in kernel.paramNames.enumerated() where kernel.paramNames[..<i].contains(name) {
            problems.append("param name \(name) is used twice")
        }
    }

    /// Checks a block; `carried` is the enclosing loop's carried values (nil outside loops).
    mutating func checkBlock(_ body: [KStmt], carried: [CarriedValue]?, depth: Int) {
        for (i, stmt) in body.enumerated() {
            let context = "`\(printer.statement(stmt))`"
            switch stmt {
            case .loop(let loop): checkLoop(loop, depth: depth, context: context)
            case .assign(let id, let dtype, let value):
                expect(value, dtype, "value", context)
                define(id, dtype, context)
            case .store(let buffer, let index, let value):
                checkStore(buffer, index, value, context)
            case .yield(let values):
                guard let carried, !carried.isEmpty, i == body.count - 1 else {
                    problems.append("\(context): yield outside the last statement of a loop with carried values")
                    continue
                }
                checkYield(values, carried, context)
            case .checkIndex(let index, let bound, let code):
                expect(index, .int64, "index", context)
                expect(bound, .int64, "bound", context)
                if code == 0 { problems.append("\(context): check code 0 means success") }
            }
        }
        if let carried, !carried.isEmpty {
            guard case .yield = body.last else {
                problems.append("loop body with \(carried.count) carried values does not end with yield")
                return
            }
        }
    }

    mutating func checkLoop(_ loop: Loop, depth: Int, context: String) {
        expect(loop.lower, .int64, "lower bound", context)
        expect(loop.upper, .int64, "upper bound", context)
        for value in loop.carried { expect(value.initial, value.dtype, "initial value of \(value.id)", context) }
        if loop.parallel, depth > 0 { problems.append("\(context): parallel loop is not outermost") }
        if loop.parallel, !loop.carried.isEmpty { problems.append("\(context): parallel loop carries values") }
        scopes.append([:])
        define(loop.variable, .int64, context)
        for value in loop.carried { define(value.id, value.dtype, context) }
        checkBlock(loop.body, carried: loop.carried, depth: depth + 1)
        scopes.removeLast()
        // After the loop the carried ids name the final values.
        for value in loop.carried { scopes[scopes.count - 1][value.id] = value.dtype }
    }

    mutating func checkStore(_ buffer: Int, _ index: KExpr, _ value: KExpr, _ context: String) {
        expect(index, .int64, "index", context)
        guard kernel.buffers.indices.contains(buffer) else {
            problems.append("\(context): buffer \(buffer) does not exist (\(kernel.buffers.count) buffers)")
            _ = type(of: value, context)
            return
        }
        let target = kernel.buffers[buffer]
        if target.access == .read { problems.append("\(context): store to read-only buffer %\(target.name)") }
        expect(value, target.dtype, "stored value", context)
    }

    mutating func checkYield(_ values: [KExpr], _ carried: [CarriedValue], _ context: String) {
        guard values.count == carried.count else {
            problems.append("\(context): yields \(values.count) values for \(carried.count) carried values")
            for value in values { _ = type(of: value, context) }
            return
        }
        for (value, slot) in zip(values, carried) { expect(value, slot.dtype, "yield for \(slot.id)", context) }
    }

    mutating func define(_ id: ValueID, _ dtype: DType, _ context: String) {
        if !defined.insert(id).inserted { problems.append("\(context): \(id) is defined twice") }
        scopes[scopes.count - 1][id] = dtype
    }

    /// Checks that `e` is well typed with dtype `expected`.
    mutating func expect(_ e: KExpr, _ expected: DType, _ role: String, _ context: String) {
        guard let actual = type(of: e, context) else { return }
        if actual != expected {
            problems.append("\(context): \(role) \(printer.expression(e)) is \(actual.shortName), "
                            + "expected \(expected.shortName)")
        }
    }

    /// The dtype of `e`, recording problems in it; nil if it has none.
    mutating func type(of e: KExpr, _ context: String) -> DType? {
        switch e {
        case .constant(let value, let dtype):
            if !dtype.isFloatingPoint, value.rounded(.towardZero) != value {
                problems.append("\(context): constant \(value) of dtype \(dtype.shortName) is not a whole number")
            }
            return dtype
        case .intConstant: return .int64
        case .param(let k):
            if !kernel.paramNames.indices.contains(k) {
                problems.append("\(context): param \(k) does not exist (\(kernel.paramNames.count) params)")
            }
            return .int64
        case .value(let id):
            if let dtype = scopes.reversed().lazy.compactMap({ $0[id] }).first { return dtype }
            problems.append("\(context): \(id) is used " + (defined.contains(id) ? "out of scope" : "before definition"))
            return nil
        case .load(let buffer, let index):
            expect(index, .int64, "index", context)
            guard kernel.buffers.indices.contains(buffer) else {
                problems.append("\(context): buffer \(buffer) does not exist (\(kernel.buffers.count) buffers)")
                return nil
            }
            let source = kernel.buffers[buffer]
            if source.access == .write { problems.append("\(context): load from write-only buffer %\(source.name)") }
            return source.dtype
        case .op(let op, let operands): return opType(op, operands, context)
        case .index(_, let a, let b):
            expect(a, .int64, "index operand", context)
            expect(b, .int64, "index operand", context)
            return .int64
        }
    }

    /// The result dtype of a ScalarOp application, checking arity and operand dtypes.
    mutating func opType(_ op: ScalarOp, _ operands: [KExpr], _ context: String) -> DType? {
        let types = operands.map { type(of: $0, context) }
        guard operands.count == op.arity else {
            problems.append("\(context): \(op.name) takes \(op.arity) operands, got \(operands.count)")
            return nil
        }
        let known = types.compactMap { $0 }
        guard known.count == types.count else { return nil }
        let text = known.map(\.shortName).joined(separator: ", ")
        let shared = Set(known).count == 1 ? known[0] : nil
        func fail(_ why: String) -> DType? {
            problems.append("\(context): \(op.name) \(why), got (\(text))")
            return nil
        }
        switch op.dtypeRule {
        case .arithmetic:
            guard let shared else { return fail("needs operands of one dtype") }
            return shared == .bool ? fail("does not take bool operands") : shared
        case .float:
            guard let shared else { return fail("needs operands of one dtype") }
            return shared.isFloatingPoint ? shared : fail("needs float operands")
        case .comparison: return shared == nil ? fail("needs operands of one dtype") : .bool
        case .logical: return shared == .bool ? .bool : fail("needs bool operands")
        case .select:
            guard known[0] == .bool, known[1] == known[2] else { return fail("needs (bool, T, T)") }
            return known[1]
        case .clip: return shared ?? fail("needs operands of one dtype")
        case .cast(let dtype): return dtype
        }
    }
}
