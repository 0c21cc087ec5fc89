import GraphIR
import TensorRuntime

/// Names a value inside a kernel: a loop variable, a `let`, or a loop-carried value.
package struct ValueID: Hashable, Sendable, Comparable, CustomStringConvertible {
    package let raw: Int
    package init(_ raw: Int) { self.raw = raw }
    package static func < (a: ValueID, b: ValueID) -> Bool { a.raw < b.raw }
    package var description: String { "%v\(raw)" }
}

/// Integer (i64) arithmetic in kernels: indices, and the bit manipulation of counter-based
/// random numbers. add/sub/mul wrap; division and modulo floor (Python semantics); bitwise ops
/// act on the 64-bit two's-complement pattern; shift amounts are taken modulo 64 and
/// `shiftRightLogical` shifts in zeros (so `mul` of two values below 2^32 is their exact
/// unsigned 64-bit product, read back with `shiftRightLogical` by 32 and `bitAnd` 0xFFFF_FFFF).
package enum IndexOp: String, Hashable, Sendable, CaseIterable {
    case add, sub, mul, floorDiv, floorMod, min, max
    case bitAnd, bitOr, bitXor, shiftLeft, shiftRightLogical
}

/// A scalar expression inside a kernel: a tree, evaluated once per use site.
///
/// Types: `constant` has its dtype; `intConstant`, `param`, `index` and loop variables are
/// int64; `load` has its buffer's dtype; `op` follows `ScalarOp`'s dtype rules (operands of one
/// dtype; comparisons give bool; cast converts).
package indirect enum KExpr: Hashable, Sendable {
    /// A constant of the given dtype (integers exact up to 2^53).
    case constant(Double, DType)
    /// An int64 constant (indices, sizes).
    case intConstant(Int64)
    /// The k-th int64 size parameter of the kernel.
    case param(Int)
    /// A loop variable, let-bound value or loop-carried value.
    case value(ValueID)
    /// Element `index` (int64, counted in elements) of buffer number `buffer`.
    case load(buffer: Int, index: KExpr)
    /// A scalar op with GraphIR's semantics (`ScalarOp`), applied to operands.
    case op(ScalarOp, [KExpr])
    /// int64 arithmetic: indices, and the bit manipulation of random draws.
    case index(IndexOp, KExpr, KExpr)
}

/// A loop-carried value (MLIR's iter_args): starts at `initial`, the body's trailing `yield`
/// gives the next value, and after the loop `id` names the final value.
package struct CarriedValue: Hashable, Sendable {
    package var id: ValueID
    package var dtype: DType
    package var initial: KExpr

    package init(id: ValueID, dtype: DType, initial: KExpr) {
        self.id = id
        self.dtype = dtype
        self.initial = initial
    }
}

/// A counted loop `for variable in lower..<upper` (step 1).
package struct Loop: Hashable, Sendable {
    package var variable: ValueID
    package var lower: KExpr
    package var upper: KExpr
    /// Values carried across iterations; the body must end with `.yield` of as many values.
    package var carried: [CarriedValue]
    package var body: [KStmt]
    /// Iterations are independent and may run on several threads (outermost loops only).
    package var parallel: Bool
    /// Ask the vectorizer to vectorize (and reassociate carried float reductions).
    package var vectorize: Bool

    package init(variable: ValueID, lower: KExpr = .intConstant(0), upper: KExpr, carried: [CarriedValue] = [],
                 body: [KStmt], parallel: Bool = false, vectorize: Bool = false) {
        self.variable = variable
        self.lower = lower
        self.upper = upper
        self.carried = carried
        self.body = body
        self.parallel = parallel
        self.vectorize = vectorize
    }
}

/// A statement of a kernel body.
package indirect enum KStmt: Hashable, Sendable {
    case loop(Loop)
    /// Binds `id` to the value of an expression (dtype given for printing and checking).
    case assign(ValueID, DType, KExpr)
    /// Writes `value` (of the buffer's dtype) to element `index` of buffer `buffer`.
    case store(buffer: Int, index: KExpr, value: KExpr)
    /// The next values of the enclosing loop's carried values (last statement of its body).
    case yield([KExpr])
    /// Aborts the kernel with error `code` unless 0 <= index < bound (gather/scatter bounds).
    case checkIndex(KExpr, bound: KExpr, code: Int32)
}

/// How a kernel uses one of its buffers.
package enum BufferAccess: String, Hashable, Sendable {
    case read, write, readWrite
}

/// A buffer parameter of a kernel: a dense row-major array of `dtype` elements.
package struct KernelBuffer: Hashable, Sendable {
    package var name: String
    package var dtype: DType
    package var access: BufferAccess

    package init(name: String, dtype: DType, access: BufferAccess) {
        self.name = name
        self.dtype = dtype
        self.access = access
    }
}

/// One generated kernel: loops over buffers, parameterised by int64 sizes.
///
/// Calling convention (every backend): buffers and size parameters in order; the kernel
/// returns 0, or the `code` of the first failed `checkIndex`.
package struct Kernel: Hashable, Sendable {
    package var name: String
    package var buffers: [KernelBuffer]
    package var paramNames: [String]
    package var body: [KStmt]

    package init(name: String, buffers: [KernelBuffer], paramNames: [String], body: [KStmt]) {
        self.name = name
        self.buffers = buffers
        self.paramNames = paramNames
        self.body = body
    }
}
