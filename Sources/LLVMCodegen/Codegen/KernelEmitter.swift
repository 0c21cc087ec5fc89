import CLLVM
import GraphIR
import KernelIR
import TensorRuntime

/// Emits one loop-IR kernel as LLVM functions of a module.
///
/// - `@<symbol>.body` (internal): `i32 (T0* noalias, ..., i64 p0, ...)`, one pointer per
///   buffer (`nocapture`, `readonly`/`writeonly` per `BufferAccess`) and one i64 per size
///   parameter; holds the loops and returns 0 or a failed `checkIndex` code.
/// - `@<symbol>` (exported): the `KernelExecutor` convention `i32 (i8** buffers, i64* params)`;
///   loads the pointers and sizes and calls the body, which O3 inlines (noalias becomes
///   scoped alias metadata).
/// - per outermost `parallel` loop, an outlined chunk function (see `KernelEmitter+Parallel`).
final class KernelEmitter {
    let kernel: Kernel
    let b: IRBuilder
    /// The exported entry's name (unique in the JIT).
    let symbol: String
    /// The address of the `ParallelRuntime` that parallel loops run on.
    let runtime: UnsafeRawPointer
    /// The function being emitted and its values.
    var frame = Frame()
    /// The dtype of every value defined so far (value ids are unique in a kernel).
    var dtypes: [ValueID: DType] = [:]
    /// Parallel loops outlined so far (names their functions).
    var parallelLoops = 0

    /// Per-function emission state.
    struct Frame {
        var function: IRValue?
        var buffers: [IRValue] = []
        var params: [IRValue] = []
        /// Values in scope, innermost block last.
        var scopes: [[ValueID: IRValue]] = [[:]]
        /// Values of the subexpressions of the current statement (identical subtrees once).
        var memo: [KExpr: IRValue] = [:]
        /// The values of the innermost loop body's `yield`, once emitted.
        var yielded: [IRValue]?
        /// True in an outlined parallel chunk (no further outlining).
        var outlined = false
    }

    init(kernel: Kernel, builder: IRBuilder, symbol: String, runtime: UnsafeRawPointer) {
        self.kernel = kernel
        self.b = builder
        self.symbol = symbol
        self.runtime = runtime
    }

    /// Emits the body function and the exported entry.
    func emit() {
        let body = emitBodyFunction()
        emitEntry(calling: body)
    }

    /// The element pointer type of every buffer, in order.
    var bufferPointerTypes: [IRType] {
        kernel.buffers.map { b.pointer(to: b.memoryType($0.dtype)) }
    }

    /// Marks a function internal and `nounwind`, and its leading buffer pointers `noalias`.
    func configureInternal(_ function: IRValue) {
        LLVMSetLinkage(function, LLVMInternalLinkage)
        b.addFunctionAttribute(function, "nounwind")
        for (index, buffer) in kernel.buffers.enumerated() {
            b.markKernelPointer(function, index, Self.pointerAccess(buffer.access))
        }
    }

    static func pointerAccess(_ access: BufferAccess) -> PointerAccess {
        switch access {
        case .read: .readOnly
        case .write: .writeOnly
        case .readWrite: .readWrite
        }
    }

    /// Starts a new frame for `function`, whose leading parameters are the buffers and sizes.
    func enter(_ function: IRValue) {
        frame = Frame(function: function)
        let bufferCount = kernel.buffers.count
        frame.buffers = (0..<bufferCount).map { b.parameter(function, $0) }
        frame.params = kernel.paramNames.indices.map { b.parameter(function, bufferCount + $0) }
        b.position(atEndOf: b.appendBlock(function, "entry"))
    }

    private func emitBodyFunction() -> IRValue {
        let types = bufferPointerTypes + kernel.paramNames.map { _ in b.i64 }
        let function = b.addFunction("\(symbol).body", returning: b.i32, parameters: types)
        configureInternal(function)
        b.addFunctionAttribute(function, "alwaysinline")
        enter(function)
        block(kernel.body)
        b.return(b.i32(0))
        return function
    }

    /// `i32 @symbol(i8** buffers, i64* params)`: unpacks the arrays and calls `body`.
    private func emitEntry(calling body: IRValue) {
        let bytePointer = b.pointer(to: b.i8)
        let function = b.addFunction(symbol, returning: b.i32,
                                     parameters: [b.pointer(to: bytePointer), b.pointer(to: b.i64)])
        b.addFunctionAttribute(function, "nounwind")
        b.markKernelPointer(function, 0, .readOnly)
        b.markKernelPointer(function, 1, .readOnly)
        b.position(atEndOf: b.appendBlock(function, "entry"))
        let pointers = b.parameter(function, 0), sizes = b.parameter(function, 1)
        var arguments: [IRValue] = []
        for (index, type) in bufferPointerTypes.enumerated() {
            let raw = b.load(bytePointer, from: b.elementPointer(bytePointer, pointers, b.i64(Int64(index))))
            arguments.append(b.bitcast(raw, to: type))
        }
        for index in kernel.paramNames.indices {
            arguments.append(b.load(b.i64, from: b.elementPointer(b.i64, sizes, b.i64(Int64(index)))))
        }
        b.return(b.call(body, arguments))
    }
}
