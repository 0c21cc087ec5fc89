import GraphIR
import TensorRuntime

/// Prints a kernel in the loop-IR text form of DESIGN.md §6 (deterministic).
///
/// ```
/// kernel @k0(%x: f32 read, %out: f32 write; n) {
///   for %v0 in 0..<n parallel vectorize {
///     %v1 = tanh(add(load %x[%v0], 1.0)) : f32
///     store %out[%v0], %v1
///   }
/// }
/// ```
/// Expressions print nested, ScalarOps as calls (`add(a, b)`, `cast<i64>(a)`), index
/// arithmetic infix (`%v0 * 10 + %v1`; `//` and `%` floor). Constants: f32 `1.0`, f64
/// `1.0_f64`, typed integers `3_i32`, bools `true`/`false`; int64 index constants plain `3`.
/// A loop with carried values prints `iter(%v2 = 0.0 : f32)` and ends its body with `yield`.
package func printKernel(_ kernel: Kernel) -> String {
    let printer = LoopIRPrinter(kernel: kernel)
    var lines = [printer.header()]
    printer.statements(kernel.body, indent: 1, into: &lines)
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
}

/// Renders one kernel's header, statements and expressions.
package struct LoopIRPrinter {
    let kernel: Kernel

    package init(kernel: Kernel) { self.kernel = kernel }

    /// `kernel @k0(%x: f32 read, %out: f32 write; n) {`.
    func header() -> String {
        let buffers = kernel.buffers.map { "%\($0.name): \($0.dtype.shortName) \($0.access.rawValue)" }
        var arguments = buffers.joined(separator: ", ")
        if !kernel.paramNames.isEmpty { arguments += "; " + kernel.paramNames.joined(separator: ", ") }
        return "kernel @\(kernel.name)(\(arguments)) {"
    }

    /// Appends the lines of `body`, indented by `indent` levels of two spaces.
    func statements(_ body: [KStmt], indent: Int, into lines: inout [String]) {
        let pad = String(repeating: "  ", count: indent)
        for stmt in body {
            switch stmt {
            case .loop(let loop):
                lines.append(pad + loopHeader(loop))
                statements(loop.body, indent: indent + 1, into: &lines)
                lines.append(pad + "}")
            case .assign, .store, .yield, .checkIndex:
                lines.append(pad + statement(stmt))
            }
        }
    }

    /// The one-line form of a non-loop statement (a loop gives its header).
    package func statement(_ stmt: KStmt) -> String {
        switch stmt {
        case .loop(let loop): return loopHeader(loop)
        case .assign(let id, let dtype, let value): return "\(id) = \(expression(value)) : \(dtype.shortName)"
        case .store(let buffer, let index, let value):
            return "store \(bufferName(buffer))[\(expression(index))], \(expression(value))"
        case .yield(let values): return "yield " + values.map(expression).joined(separator: ", ")
        case .checkIndex(let index, let bound, let code):
            return "check 0 <= \(expression(index)) < \(expression(bound)) else return \(code)"
        }
    }

    /// `for %v0 in 0..<n iter(%v1 = 0.0 : f32) parallel vectorize {`.
    func loopHeader(_ loop: Loop) -> String {
        var text = "for \(loop.variable) in \(expression(loop.lower))..<\(expression(loop.upper))"
        if !loop.carried.isEmpty {
            let items = loop.carried.map { "\($0.id) = \(expression($0.initial)) : \($0.dtype.shortName)" }
            text += " iter(" + items.joined(separator: ", ") + ")"
        }
        if loop.parallel { text += " parallel" }
        if loop.vectorize { text += " vectorize" }
        return text + " {"
    }

    /// `%x`, or `%buffer#7` for a number outside the kernel's buffers.
    func bufferName(_ index: Int) -> String {
        kernel.buffers.indices.contains(index) ? "%" + kernel.buffers[index].name : "%buffer#\(index)"
    }

    /// The nested text of an expression.
    package func expression(_ e: KExpr) -> String {
        switch e {
        case .constant(let value, let dtype): return Self.constant(value, dtype)
        case .intConstant(let value): return String(value)
        case .param(let k): return kernel.paramNames.indices.contains(k) ? kernel.paramNames[k] : "param#\(k)"
        case .value(let id): return id.description
        case .load(let buffer, let index): return "load \(bufferName(buffer))[\(expression(index))]"
        case .op(let op, let operands): return op.name + "(" + operands.map(expression).joined(separator: ", ") + ")"
        case .index(let op, let a, let b): return indexExpression(op, a, b)
        }
    }

    /// Infix index arithmetic with the fewest parentheses; `min(a, b)`, `max(a, b)` and the
    /// bitwise ops (`bitXor(a, b)`, `shiftRightLogical(a, b)`, ...) as calls.
    private func indexExpression(_ op: IndexOp, _ a: KExpr, _ b: KExpr) -> String {
        guard let (symbol, level) = Self.infix(op) else {
            return "\(op.rawValue)(\(expression(a)), \(expression(b)))"
        }
        let left = Self.precedence(a).map { $0 < level } ?? false ? "(\(expression(a)))" : expression(a)
        let right = Self.precedence(b).map { $0 <= level } ?? false ? "(\(expression(b)))" : expression(b)
        return "\(left) \(symbol) \(right)"
    }

    /// The infix symbol and precedence level of an index op (nil for calls).
    private static func infix(_ op: IndexOp) -> (String, Int)? {
        switch op {
        case .add: return ("+", 1)
        case .sub: return ("-", 1)
        case .mul: return ("*", 2)
        case .floorDiv: return ("//", 2)
        case .floorMod: return ("%", 2)
        case .min, .max, .bitAnd, .bitOr, .bitXor, .shiftLeft, .shiftRightLogical: return nil
        }
    }

    /// The precedence of an expression printed infix, nil for atoms and calls.
    private static func precedence(_ e: KExpr) -> Int? {
        if case .index(let op, _, _) = e { return infix(op)?.1 }
        return nil
    }

    /// A typed constant: f32 `1.0`, f64 `1.0_f64`, integers `3_i32`, bool `true`/`false`.
    static func constant(_ value: Double, _ dtype: DType) -> String {
        switch dtype {
        case .float32: return String(value)
        case .float64: return "\(value)_f64"
        case .bool: return value != 0 ? "true" : "false"
        case .int32, .int64, .uint8:
            let whole = value.rounded(.towardZero) == value && value.magnitude < 9.2e18
            return (whole ? String(Int64(value)) : String(value)) + "_" + dtype.shortName
        }
    }
}
