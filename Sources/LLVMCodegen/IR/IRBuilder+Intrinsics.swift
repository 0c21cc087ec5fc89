import CLLVM

/// Overloaded floating-point intrinsics the vectorizer widens (no libm calls).
extension IRBuilder {
    /// `a * b + c`, fused when the target has FMA (`llvm.fmuladd`).
    package func fmuladd(_ a: IRValue, _ b: IRValue, _ c: IRValue) -> IRValue {
        intrinsic("llvm.fmuladd", [a, b, c])
    }
    /// `a * b + c` with a single rounding (`llvm.fma`; only use where the target has FMA).
    package func fma(_ a: IRValue, _ b: IRValue, _ c: IRValue) -> IRValue { intrinsic("llvm.fma", [a, b, c]) }
    package func floor(_ x: IRValue) -> IRValue { intrinsic("llvm.floor", [x]) }
    package func ceil(_ x: IRValue) -> IRValue { intrinsic("llvm.ceil", [x]) }
    /// Round to nearest, ties to even (`llvm.rint`).
    package func rint(_ x: IRValue) -> IRValue { intrinsic("llvm.rint", [x]) }
    package func fabs(_ x: IRValue) -> IRValue { intrinsic("llvm.fabs", [x]) }
    package func sqrt(_ x: IRValue) -> IRValue { intrinsic("llvm.sqrt", [x]) }
    /// IEEE minNum: a NaN operand yields the other operand.
    package func minnum(_ a: IRValue, _ b: IRValue) -> IRValue { intrinsic("llvm.minnum", [a, b]) }
    /// IEEE maxNum: a NaN operand yields the other operand.
    package func maxnum(_ a: IRValue, _ b: IRValue) -> IRValue { intrinsic("llvm.maxnum", [a, b]) }
    /// The magnitude of `magnitude` with the sign of `sign`.
    package func copysign(_ magnitude: IRValue, _ sign: IRValue) -> IRValue {
        intrinsic("llvm.copysign", [magnitude, sign])
    }

    /// Calls the type-overloaded intrinsic `base` (e.g. "llvm.floor") on `arguments`.
    ///
    /// The overload suffix comes from the first argument's type (`.f32`, `.f64`, `.v16f32`);
    /// all arguments and the result share that type.
    package func intrinsic(_ base: String, _ arguments: [IRValue]) -> IRValue {
        let type = self.type(of: arguments[0])
        let name = "\(base).\(intrinsicSuffix(type))"
        let function = declareFunction(name, returning: type, parameters: arguments.map { _ in type })
        return call(function, arguments)
    }

    private func intrinsicSuffix(_ type: IRType) -> String {
        let kind = LLVMGetTypeKind(type)
        if kind == LLVMFloatTypeKind { return "f32" }
        if kind == LLVMDoubleTypeKind { return "f64" }
        if kind == LLVMVectorTypeKind {
            return "v\(LLVMGetVectorSize(type))\(intrinsicSuffix(LLVMGetElementType(type)))"
        }
        preconditionFailure("no floating-point intrinsic overload for this type")
    }
}
