import GraphIR
import TensorRuntime

/// Turns a verified kernel's statements and expressions into closures, giving every value a
/// slot in its lane.
struct ClosureBuilder {
    let kernel: Kernel
    private(set) var doubleSlots = 0
    private(set) var intSlots = 0
    /// The dtype and lane slot of every value defined so far.
    private var dtypes: [ValueID: DType] = [:]
    private var slots: [ValueID: Int] = [:]
    /// For each enclosing loop with carried values: where its `yield` writes.
    var yieldTargets: [[YieldTarget]] = []

    init(kernel: Kernel) { self.kernel = kernel }

    /// A carried value's slot and a scratch slot (yields evaluate every value before assigning).
    struct YieldTarget {
        let isDouble: Bool
        let slot: Int
        let scratch: Int
    }

    /// Gives `id` a fresh slot in the lane of `dtype`.
    mutating func define(_ id: ValueID, _ dtype: DType) -> Int {
        let slot = newSlot(double: dtype.isFloatingPoint)
        dtypes[id] = dtype
        slots[id] = slot
        return slot
    }

    mutating func newSlot(double: Bool) -> Int {
        if double {
            doubleSlots += 1
            return doubleSlots - 1
        }
        intSlots += 1
        return intSlots - 1
    }

    func dtype(_ e: KExpr) -> DType {
        e.dtype(values: dtypes, buffers: kernel.buffers)
    }

    /// The closure of an int64 expression.
    func int(_ e: KExpr) -> IntCode { expression(e).asInt }

    /// The closure of an expression, in the lane of its dtype.
    func expression(_ e: KExpr) -> LaneCode {
        switch e {
        case .constant(let value, let dtype):
            switch Lane.fromDouble(dtype) {
            case .double(let convert): let x = convert(value); return .double { _ in x }
            case .int(let convert): let x = convert(value); return .int { _ in x }
            }
        case .intConstant(let value): return .int { _ in value }
        case .param(let k): return .int { $0.params[k] }
        case .value(let id):
            guard let dtype = dtypes[id], let slot = slots[id] else { preconditionFailure("\(id) used before definition") }
            return dtype.isFloatingPoint ? .double { $0.doubles[slot] } : .int { $0.ints[slot] }
        case .load(let buffer, let index): return load(buffer, int(index))
        case .op(let op, let operands): return scalarOp(op, operands)
        case .index(let op, let a, let b): return .int(indexOp(op, int(a), int(b)))
        }
    }

    /// A ScalarOp in the lane of its operands, converted to its result dtype.
    private func scalarOp(_ op: ScalarOp, _ operands: [KExpr]) -> LaneCode {
        let types = operands.map(dtype)
        let result = dtype(.op(op, operands))
        let codes = operands.map(expression)
        if KExpr.laneDType(op, types).isFloatingPoint {
            let raw = Self.apply(ScalarMath.double(op), codes.map(\.asDouble))
            switch Lane.fromDouble(result) {
            case .double(let convert): return .double { convert(raw($0)) }
            case .int(let convert): return .int { convert(raw($0)) }
            }
        }
        let raw = Self.apply(ScalarMath.int64(op), codes.map(\.asInt))
        switch Lane.fromInt(result) {
        case .double(let convert): return .double { convert(raw($0)) }
        case .int(let convert): return .int { convert(raw($0)) }
        }
    }

    /// Applies a lane function to operand closures.
    private static func apply<T>(_ function: LaneFunction<T>, _ x: [(KernelFrame) -> T]) -> (KernelFrame) -> T {
        switch function {
        case .unary(let f):
            let a = x[0]
            return { f(a($0)) }
        case .binary(let f):
            let a = x[0], b = x[1]
            return { f(a($0), b($0)) }
        case .ternary(let f):
            let a = x[0], b = x[1], c = x[2]
            return { f(a($0), b($0), c($0)) }
        }
    }

    /// int64 arithmetic: wrapping, floor division and modulo (0 for a zero divisor), bitwise
    /// ops, shifts by the amount modulo 64.
    private func indexOp(_ op: IndexOp, _ a: @escaping IntCode, _ b: @escaping IntCode) -> IntCode {
        switch op {
        case .add: return { a($0) &+ b($0) }
        case .sub: return { a($0) &- b($0) }
        case .mul: return { a($0) &* b($0) }
        case .floorDiv: return { ScalarMath.floorDivide(a($0), b($0)) }
        case .floorMod:
            return {
                let x = a($0), y = b($0)
                return y == 0 ? 0 : x &- ScalarMath.floorDivide(x, y) &* y
            }
        case .min: return { Swift.min(a($0), b($0)) }
        case .max: return { Swift.max(a($0), b($0)) }
        case .bitAnd: return { a($0) & b($0) }
        case .bitOr: return { a($0) | b($0) }
        case .bitXor: return { a($0) ^ b($0) }
        case .shiftLeft: return { a($0) &<< b($0) }
        case .shiftRightLogical: return { Int64(bitPattern: UInt64(bitPattern: a($0)) &>> UInt64(bitPattern: b($0))) }
        }
    }

    /// Reads element `index` of a buffer into the lane of its dtype.
    private func load(_ b: Int, _ index: @escaping IntCode) -> LaneCode {
        switch kernel.buffers[b].dtype {
        case .float32:
            return .double { f in Double(f.buffers[b].load(fromByteOffset: f.element(b, index(f)) &* 4, as: Float.self)) }
        case .float64:
            return .double { f in f.buffers[b].load(fromByteOffset: f.element(b, index(f)) &* 8, as: Double.self) }
        case .int32:
            return .int { f in Int64(f.buffers[b].load(fromByteOffset: f.element(b, index(f)) &* 4, as: Int32.self)) }
        case .int64:
            return .int { f in f.buffers[b].load(fromByteOffset: f.element(b, index(f)) &* 8, as: Int64.self) }
        case .uint8:
            return .int { f in Int64(f.buffers[b].load(fromByteOffset: f.element(b, index(f)), as: UInt8.self)) }
        case .bool:
            return .int { f in f.buffers[b].load(fromByteOffset: f.element(b, index(f)), as: UInt8.self) != 0 ? 1 : 0 }
        }
    }

    /// Writes a lane value (already of the buffer's dtype) to element `index` of a buffer.
    func store(_ b: Int, _ index: @escaping IntCode, _ value: LaneCode) -> StmtCode {
        let d = value.asDouble, i = value.asInt
        switch kernel.buffers[b].dtype {
        case .float32:
            return { f in f.buffers[b].storeBytes(of: Float(d(f)), toByteOffset: f.element(b, index(f)) &* 4, as: Float.self); return true }
        case .float64:
            return { f in f.buffers[b].storeBytes(of: d(f), toByteOffset: f.element(b, index(f)) &* 8, as: Double.self); return true }
        case .int32:
            return { f in f.buffers[b].storeBytes(of: Int32(truncatingIfNeeded: i(f)), toByteOffset: f.element(b, index(f)) &* 4, as: Int32.self); return true }
        case .int64:
            return { f in f.buffers[b].storeBytes(of: i(f), toByteOffset: f.element(b, index(f)) &* 8, as: Int64.self); return true }
        case .uint8:
            return { f in f.buffers[b].storeBytes(of: UInt8(truncatingIfNeeded: i(f)), toByteOffset: f.element(b, index(f)), as: UInt8.self); return true }
        case .bool:
            return { f in f.buffers[b].storeBytes(of: UInt8(i(f) != 0 ? 1 : 0), toByteOffset: f.element(b, index(f)), as: UInt8.self); return true }
        }
    }
}

/// Conversions from a lane value to the representation of a dtype (floats as Double rounded
/// to the dtype, integers and bools as Int64 truncated to the dtype), like the reference
/// interpreter's `Tensor(doubleLane:)` and `Tensor(int64Lane:)`.
enum Lane {
    case double((Double) -> Double)
    case int((Double) -> Int64)

    /// How a Double-lane value becomes a `dtype` value.
    static func fromDouble(_ dtype: DType) -> Lane {
        switch dtype {
        case .float32: return .double { Double(Float($0)) }
        case .float64: return .double { $0 }
        case .int32: return .int { Int64(Int32(fromDouble: $0)) }
        case .int64: return .int { truncatingInt64($0) }
        case .uint8: return .int { Int64(UInt8(fromDouble: $0)) }
        case .bool: return .int { $0 != 0 ? 1 : 0 }
        }
    }

    /// How an Int64-lane value becomes a `dtype` value.
    static func fromInt(_ dtype: DType) -> IntLane {
        switch dtype {
        case .float32: return .double { Double(Float($0)) }
        case .float64: return .double { Double($0) }
        case .int32: return .int { Int64(Int32(truncatingIfNeeded: $0)) }
        case .int64: return .int { $0 }
        case .uint8: return .int { Int64(UInt8(truncatingIfNeeded: $0)) }
        case .bool: return .int { $0 != 0 ? 1 : 0 }
        }
    }
}

/// Conversions from an Int64-lane value to the representation of a dtype.
enum IntLane {
    case double((Int64) -> Double)
    case int((Int64) -> Int64)
}
