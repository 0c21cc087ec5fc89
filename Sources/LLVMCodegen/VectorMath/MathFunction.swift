import CLLVM

/// The float32 functions `MathEmitter` provides, for table-driven callers and tests.
package enum MathFunction: String, CaseIterable, Sendable {
    case exp, log, log1p, expm1, tanh, sigmoid, softplus, erf

    /// Emits this function of the f32 value `x` at the builder's insertion point.
    package func emit(_ emitter: MathEmitter, _ x: IRValue) -> IRValue {
        switch self {
        case .exp: emitter.exp(x)
        case .log: emitter.log(x)
        case .log1p: emitter.log1p(x)
        case .expm1: emitter.expm1(x)
        case .tanh: emitter.tanh(x)
        case .sigmoid: emitter.sigmoid(x)
        case .softplus: emitter.softplus(x)
        case .erf: emitter.erf(x)
        }
    }
}

extension IRModule {
    /// Adds `void name(float* out, const float* in, i64 n)` computing `out[i] = f(in[i])`.
    ///
    /// The pointers are `noalias nocapture` (writeonly / readonly), so the loop vectorizes
    /// without a runtime overlap check. Returns the function.
    @discardableResult
    package func addUnaryMapKernel(_ name: String, _ function: MathFunction) -> IRValue {
        let b = builder
        let floatPointer = b.pointer(to: b.f32)
        let kernel = b.addFunction(name, returning: b.void, parameters: [floatPointer, floatPointer, b.i64])
        b.markKernelPointer(kernel, 0, .writeOnly)
        b.markKernelPointer(kernel, 1, .readOnly)
        b.addFunctionAttribute(kernel, "nounwind")
        b.position(atEndOf: b.appendBlock(kernel, "entry"))
        let (output, input, count) = (b.parameter(kernel, 0), b.parameter(kernel, 1), b.parameter(kernel, 2))
        b.emitLoop(from: b.i64(0), to: count) { b, i in
            let x = b.load(b.f32, from: b.elementPointer(b.f32, input, i))
            let y = function.emit(MathEmitter(b), x)
            b.store(y, to: b.elementPointer(b.f32, output, i))
        }
        b.returnVoid()
        return kernel
    }
}
