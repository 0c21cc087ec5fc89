import CLLVM
import GraphIR
import KernelIR
import TensorRuntime

/// Outlining of outermost `parallel` loops.
///
/// The loop becomes `@<symbol>.par<k>` (internal): buffers, sizes and every value in scope
/// before the loop as parameters, then `lo` and `hi`; it runs the loop over `[lo, hi)`.
/// `@<symbol>.par<k>.chunk(i8* env, i64 lo, i64 hi)` (a `ParallelChunk`) unpacks those
/// arguments from an array of i64 slots and calls it (inlined by O3, so the noalias scopes
/// survive). The kernel stores the slots in a stack array and calls
/// `hypatia_parallel_for(runtime, chunk, env, lower, upper, work)`, returning early with a
/// non-zero result (a failed `checkIndex` in some chunk).
extension KernelEmitter {
    /// A value captured by an outlined loop.
    struct Capture {
        let id: ValueID
        let dtype: DType
        let value: IRValue
    }

    func parallelLoop(_ loop: Loop) {
        let lower = expression(loop.lower), upper = expression(loop.upper)
        let captures = frame.scopes[0].keys.sorted().map { Capture(id: $0, dtype: dtypes[$0]!, value: lookup($0)) }
        let work = workEstimate(loop.body, invariant: Set(frame.scopes[0].keys))
        let index = parallelLoops
        parallelLoops += 1
        let resume = b.currentBlock
        let saved = frame
        let outlined = emitOutlinedLoop(loop, captures, name: "\(symbol).par\(index)")
        let chunk = emitChunkFunction(calling: outlined, captures, name: "\(symbol).par\(index).chunk")
        frame = saved
        b.position(atEndOf: resume)

        let slots = frame.buffers.map { LLVMBuildPtrToInt(b.ref, $0, b.i64, "")! } + frame.params
            + captures.map { encode($0.value, $0.dtype) }
        let environment = entryAlloca(LLVMArrayType(b.i64, UInt32(max(slots.count, 1))))
        let slotBase = b.bitcast(environment, to: b.pointer(to: b.i64))
        for (k, slot) in slots.enumerated() {
            b.store(slot, to: b.elementPointer(b.i64, slotBase, b.i64(Int64(k))))
        }
        let bytePointer = b.pointer(to: b.i8)
        let entry = b.declareFunction(ParallelRuntime.entrySymbol, returning: b.i32,
                                      parameters: [bytePointer, bytePointer, bytePointer, b.i64, b.i64, b.f64])
        let runtimeConstant = LLVMConstIntToPtr(b.i64(Int64(Int(bitPattern: runtime))), bytePointer)!
        let chunkPointer = LLVMConstBitCast(chunk, bytePointer)!
        let code = b.call(entry, [runtimeConstant, chunkPointer, b.bitcast(environment, to: bytePointer),
                                  lower, upper, work])
        returnEarly(unless: b.icmp(LLVMIntEQ, code, b.i32(0)), code: code)
    }

    /// `i32 @name(buffers..., params..., captures..., i64 lo, i64 hi)` running the loop.
    private func emitOutlinedLoop(_ loop: Loop, _ captures: [Capture], name: String) -> IRValue {
        let types = bufferPointerTypes + kernel.paramNames.map { _ in b.i64 }
            + captures.map { b.valueType($0.dtype) } + [b.i64, b.i64]
        let function = b.addFunction(name, returning: b.i32, parameters: types)
        configureInternal(function)
        b.addFunctionAttribute(function, "alwaysinline")
        enter(function)
        frame.outlined = true
        let first = kernel.buffers.count + kernel.paramNames.count
        for (k, capture) in captures.enumerated() {
            define(capture.id, capture.dtype, b.parameter(function, first + k))
        }
        let lo = b.parameter(function, first + captures.count), hi = b.parameter(function, first + captures.count + 1)
        countedLoop(loop, from: lo, to: hi, initial: [])
        b.return(b.i32(0))
        return function
    }

    /// `i32 @name(i8* env, i64 lo, i64 hi)`: unpacks the slots and calls `outlined`.
    private func emitChunkFunction(calling outlined: IRValue, _ captures: [Capture], name: String) -> IRValue {
        let function = b.addFunction(name, returning: b.i32, parameters: [b.pointer(to: b.i8), b.i64, b.i64])
        LLVMSetLinkage(function, LLVMInternalLinkage)
        b.addFunctionAttribute(function, "nounwind")
        b.position(atEndOf: b.appendBlock(function, "entry"))
        let slots = b.bitcast(b.parameter(function, 0), to: b.pointer(to: b.i64))
        var k: Int64 = 0
        func next() -> IRValue {
            defer { k += 1 }
            return b.load(b.i64, from: b.elementPointer(b.i64, slots, b.i64(k)))
        }
        var arguments: [IRValue] = bufferPointerTypes.map { LLVMBuildIntToPtr(b.ref, next(), $0, "")! }
        arguments += kernel.paramNames.map { _ in next() }
        arguments += captures.map { decode(next(), $0.dtype) }
        arguments += [b.parameter(function, 1), b.parameter(function, 2)]
        b.return(b.call(outlined, arguments))
        return function
    }

    /// A register value as the bits of an i64 slot.
    private func encode(_ value: IRValue, _ dtype: DType) -> IRValue {
        switch dtype {
        case .int64: value
        case .float64: b.bitcast(value, to: b.i64)
        case .float32: b.zext(b.bitcast(value, to: b.i32), to: b.i64)
        case .int32, .uint8, .bool: b.zext(value, to: b.i64)
        }
    }

    /// The inverse of `encode`.
    private func decode(_ slot: IRValue, _ dtype: DType) -> IRValue {
        switch dtype {
        case .int64: slot
        case .float64: b.bitcast(slot, to: b.f64)
        case .float32: b.bitcast(b.trunc(slot, to: b.i32), to: b.f32)
        case .int32, .uint8, .bool: b.trunc(slot, to: b.valueType(dtype))
        }
    }

    /// A stack slot of `type` allocated in the current function's entry block.
    private func entryAlloca(_ type: IRType) -> IRValue {
        let resume = b.currentBlock
        let entry = LLVMGetEntryBasicBlock(frame.function)!
        if let first = LLVMGetFirstInstruction(entry) {
            LLVMPositionBuilderBefore(b.ref, first)
        } else {
            b.position(atEndOf: entry)
        }
        let slot = LLVMBuildAlloca(b.ref, type, "parallel.env")!
        b.position(atEndOf: resume)
        return slot
    }
}
