import CLLVM

/// How a kernel reads or writes through a pointer parameter.
package enum PointerAccess: Sendable {
    case readOnly, writeOnly, readWrite
}

extension IRBuilder {
    // MARK: Functions and blocks

    /// Adds a function definition or declaration `name` of the given signature.
    package func addFunction(_ name: String, returning result: IRType, parameters: [IRType]) -> IRValue {
        LLVMAddFunction(module, name, functionType(result, parameters))
    }

    /// The existing function `name`, or a new external declaration of it.
    package func declareFunction(_ name: String, returning result: IRType, parameters: [IRType]) -> IRValue {
        if let existing = LLVMGetNamedFunction(module, name) { return existing }
        return addFunction(name, returning: result, parameters: parameters)
    }

    /// Parameter `index` (0-based) of `function`.
    package func parameter(_ function: IRValue, _ index: Int) -> IRValue { LLVMGetParam(function, UInt32(index)) }

    /// Appends a new basic block to `function`.
    package func appendBlock(_ function: IRValue, _ name: String) -> IRBlock {
        LLVMAppendBasicBlockInContext(context, function, name)
    }

    /// Moves the insertion point to the end of `block`.
    package func position(atEndOf block: IRBlock) { LLVMPositionBuilderAtEnd(ref, block) }

    /// The block holding the insertion point.
    package var currentBlock: IRBlock { LLVMGetInsertBlock(ref) }

    /// The function holding the insertion point.
    package var currentFunction: IRValue { LLVMGetBasicBlockParent(currentBlock) }

    // MARK: Control flow

    @discardableResult
    package func branch(to block: IRBlock) -> IRValue { LLVMBuildBr(ref, block) }
    @discardableResult
    package func branch(if condition: IRValue, then: IRBlock, else otherwise: IRBlock) -> IRValue {
        LLVMBuildCondBr(ref, condition, then, otherwise)
    }
    @discardableResult
    package func returnVoid() -> IRValue { LLVMBuildRetVoid(ref) }
    @discardableResult
    package func `return`(_ value: IRValue) -> IRValue { LLVMBuildRet(ref, value) }

    /// A phi node of `type` with the given (value, predecessor) pairs.
    package func phi(_ type: IRType, _ incoming: [(IRValue, IRBlock)] = []) -> IRValue {
        let node = LLVMBuildPhi(ref, type, "")!
        addIncoming(node, incoming)
        return node
    }

    /// Adds (value, predecessor) pairs to a phi node.
    package func addIncoming(_ phi: IRValue, _ incoming: [(IRValue, IRBlock)]) {
        var values: [IRValue?] = incoming.map(\.0)
        var blocks: [IRBlock?] = incoming.map(\.1)
        LLVMAddIncoming(phi, &values, &blocks, UInt32(incoming.count))
    }

    /// Calls `function` (a function value of this module) with `arguments`.
    package func call(_ function: IRValue, _ arguments: [IRValue]) -> IRValue {
        var arguments: [IRValue?] = arguments
        return LLVMBuildCall2(ref, LLVMGlobalGetValueType(function), function, &arguments,
                              UInt32(arguments.count), "")
    }

    // MARK: Attributes

    /// Adds the enum attribute `name` (e.g. "noalias") to parameter `index` (0-based).
    package func addParameterAttribute(_ function: IRValue, _ index: Int, _ name: String) {
        LLVMAddAttributeAtIndex(function, UInt32(index + 1), enumAttribute(name))
    }

    /// Adds the enum attribute `name` (e.g. "nounwind") to the function itself.
    package func addFunctionAttribute(_ function: IRValue, _ name: String) {
        LLVMAddAttributeAtIndex(function, functionIndex, enumAttribute(name))
    }

    /// Adds the string attribute `key`=`value` (e.g. "prefer-vector-width"="512") to the function.
    package func addFunctionAttribute(_ function: IRValue, _ key: String, value: String) {
        let attribute = LLVMCreateStringAttribute(context, key, UInt32(key.utf8.count),
                                                  value, UInt32(value.utf8.count))
        LLVMAddAttributeAtIndex(function, functionIndex, attribute)
    }

    /// Marks a kernel pointer parameter `noalias nocapture` plus `readonly`/`writeonly`.
    ///
    /// Callers promise the buffers do not overlap; this drops the vectorizer's runtime
    /// overlap check.
    package func markKernelPointer(_ function: IRValue, _ index: Int, _ access: PointerAccess) {
        addParameterAttribute(function, index, "noalias")
        addParameterAttribute(function, index, "nocapture")
        switch access {
        case .readOnly: addParameterAttribute(function, index, "readonly")
        case .writeOnly: addParameterAttribute(function, index, "writeonly")
        case .readWrite: break
        }
    }

    private var functionIndex: UInt32 { UInt32(truncatingIfNeeded: LLVMAttributeFunctionIndex) }

    private func enumAttribute(_ name: String) -> LLVMAttributeRef {
        let kind = LLVMGetEnumAttributeKindForName(name, name.utf8.count)
        precondition(kind != 0, "unknown LLVM attribute '\(name)'")
        return LLVMCreateEnumAttribute(context, kind, 0)
    }
}
