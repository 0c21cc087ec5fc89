import CLLVM

/// An LLVM SSA value (instruction, argument, constant or function).
package typealias IRValue = LLVMValueRef
/// An LLVM type.
package typealias IRType = LLVMTypeRef
/// An LLVM basic block.
package typealias IRBlock = LLVMBasicBlockRef

/// A thin, typed front for LLVM's C IR builder, bound to one `IRModule`.
///
/// Copies share the same underlying builder (and so the same insertion point). Only the
/// `*2` builder entry points are used, so the code also works on LLVM 19. Arithmetic is
/// plain IEEE (no fast-math flags); math emitters rely on that.
package struct IRBuilder {
    package let owner: IRModule
    package var context: LLVMContextRef { owner.context }
    package var module: LLVMModuleRef { owner.module }
    package var ref: LLVMBuilderRef { owner.builderRef }

    init(module: IRModule) { owner = module }

    // MARK: Types

    package var void: IRType { LLVMVoidTypeInContext(context) }
    package var f32: IRType { LLVMFloatTypeInContext(context) }
    package var f64: IRType { LLVMDoubleTypeInContext(context) }
    package var i1: IRType { LLVMInt1TypeInContext(context) }
    package var i8: IRType { LLVMInt8TypeInContext(context) }
    package var i32: IRType { LLVMInt32TypeInContext(context) }
    package var i64: IRType { LLVMInt64TypeInContext(context) }

    /// A pointer to `pointee` in address space 0 (`float*` on LLVM 14, `ptr` on 19).
    package func pointer(to pointee: IRType) -> IRType { LLVMPointerType(pointee, 0) }

    /// A function type.
    package func functionType(_ result: IRType, _ params: [IRType], variadic: Bool = false) -> IRType {
        var params: [IRType?] = params
        return LLVMFunctionType(result, &params, UInt32(params.count), variadic ? 1 : 0)
    }

    // MARK: Constants

    package func f32(_ value: Float) -> IRValue { LLVMConstReal(f32, Double(value)) }
    package func f64(_ value: Double) -> IRValue { LLVMConstReal(f64, value) }
    package func i1(_ value: Bool) -> IRValue { LLVMConstInt(i1, value ? 1 : 0, 0) }
    package func i32(_ value: Int32) -> IRValue { LLVMConstInt(i32, UInt64(bitPattern: Int64(value)), 1) }
    package func i64(_ value: Int64) -> IRValue { LLVMConstInt(i64, UInt64(bitPattern: value), 1) }

    /// The type of `value`.
    package func type(of value: IRValue) -> IRType { LLVMTypeOf(value) }

    // MARK: Floating-point arithmetic

    package func fadd(_ a: IRValue, _ b: IRValue) -> IRValue { LLVMBuildFAdd(ref, a, b, "") }
    package func fsub(_ a: IRValue, _ b: IRValue) -> IRValue { LLVMBuildFSub(ref, a, b, "") }
    package func fmul(_ a: IRValue, _ b: IRValue) -> IRValue { LLVMBuildFMul(ref, a, b, "") }
    package func fdiv(_ a: IRValue, _ b: IRValue) -> IRValue { LLVMBuildFDiv(ref, a, b, "") }
    package func fneg(_ a: IRValue) -> IRValue { LLVMBuildFNeg(ref, a, "") }
    package func fcmp(_ predicate: LLVMRealPredicate, _ a: IRValue, _ b: IRValue) -> IRValue {
        LLVMBuildFCmp(ref, predicate, a, b, "")
    }

    // MARK: Integer arithmetic

    package func add(_ a: IRValue, _ b: IRValue) -> IRValue { LLVMBuildAdd(ref, a, b, "") }
    /// Addition with `nsw` (the loop counter uses it so trip counts are computable).
    package func addNSW(_ a: IRValue, _ b: IRValue) -> IRValue { LLVMBuildNSWAdd(ref, a, b, "") }
    package func sub(_ a: IRValue, _ b: IRValue) -> IRValue { LLVMBuildSub(ref, a, b, "") }
    package func mul(_ a: IRValue, _ b: IRValue) -> IRValue { LLVMBuildMul(ref, a, b, "") }
    package func and(_ a: IRValue, _ b: IRValue) -> IRValue { LLVMBuildAnd(ref, a, b, "") }
    package func or(_ a: IRValue, _ b: IRValue) -> IRValue { LLVMBuildOr(ref, a, b, "") }
    package func xor(_ a: IRValue, _ b: IRValue) -> IRValue { LLVMBuildXor(ref, a, b, "") }
    package func shl(_ a: IRValue, _ b: IRValue) -> IRValue { LLVMBuildShl(ref, a, b, "") }
    package func ashr(_ a: IRValue, _ b: IRValue) -> IRValue { LLVMBuildAShr(ref, a, b, "") }
    package func lshr(_ a: IRValue, _ b: IRValue) -> IRValue { LLVMBuildLShr(ref, a, b, "") }
    package func icmp(_ predicate: LLVMIntPredicate, _ a: IRValue, _ b: IRValue) -> IRValue {
        LLVMBuildICmp(ref, predicate, a, b, "")
    }

    // MARK: Selection and conversion

    package func select(_ condition: IRValue, _ then: IRValue, _ otherwise: IRValue) -> IRValue {
        LLVMBuildSelect(ref, condition, then, otherwise, "")
    }
    package func bitcast(_ value: IRValue, to type: IRType) -> IRValue { LLVMBuildBitCast(ref, value, type, "") }
    package func fpToSI(_ value: IRValue, to type: IRType) -> IRValue { LLVMBuildFPToSI(ref, value, type, "") }
    package func siToFP(_ value: IRValue, to type: IRType) -> IRValue { LLVMBuildSIToFP(ref, value, type, "") }
    package func fpExt(_ value: IRValue, to type: IRType) -> IRValue { LLVMBuildFPExt(ref, value, type, "") }
    package func fpTrunc(_ value: IRValue, to type: IRType) -> IRValue { LLVMBuildFPTrunc(ref, value, type, "") }
    package func sext(_ value: IRValue, to type: IRType) -> IRValue { LLVMBuildSExt(ref, value, type, "") }
    package func zext(_ value: IRValue, to type: IRType) -> IRValue { LLVMBuildZExt(ref, value, type, "") }
    package func trunc(_ value: IRValue, to type: IRType) -> IRValue { LLVMBuildTrunc(ref, value, type, "") }

    // MARK: Memory

    /// The address of `base[index]` for elements of type `element` (inbounds GEP).
    package func elementPointer(_ element: IRType, _ base: IRValue, _ index: IRValue) -> IRValue {
        var indices: [IRValue?] = [index]
        return LLVMBuildInBoundsGEP2(ref, element, base, &indices, 1, "")
    }
    package func load(_ type: IRType, from pointer: IRValue) -> IRValue { LLVMBuildLoad2(ref, type, pointer, "") }
    @discardableResult
    package func store(_ value: IRValue, to pointer: IRValue) -> IRValue { LLVMBuildStore(ref, value, pointer) }
}
