import CLLVM

/// One LLVM module under construction, with its own thread-safe context and IR builder.
///
/// Each module gets a fresh `ThreadSafeContext` (LLVM contexts are not thread-safe, so
/// modules built on different threads must not share one). The module is built on one
/// thread, then handed to `JITCompiler.compile`, which takes ownership: after a successful
/// hand-over the module is *consumed* and must not be used again.
package final class IRModule {
    package let name: String
    let threadSafeContext: LLVMOrcThreadSafeContextRef
    let context: LLVMContextRef
    let module: LLVMModuleRef
    let builderRef: LLVMBuilderRef
    /// When construction started; `compile` reports the build stage relative to it.
    let createdAt: ContinuousClock.Instant
    /// True once ORC owns the module.
    private(set) var isConsumed = false

    /// Creates an empty module named `name` in a fresh thread-safe context.
    package init(name: String) {
        createdAt = ContinuousClock.now
        self.name = name
        threadSafeContext = LLVMOrcCreateNewThreadSafeContext()
        context = LLVMOrcThreadSafeContextGetContext(threadSafeContext)
        module = LLVMModuleCreateWithNameInContext(name, context)
        builderRef = LLVMCreateBuilderInContext(context)
    }

    deinit {
        guard !isConsumed else { return }
        LLVMDisposeBuilder(builderRef)
        LLVMDisposeModule(module)
        LLVMOrcDisposeThreadSafeContext(threadSafeContext)
    }

    /// A builder positioned wherever the last user left it.
    package var builder: IRBuilder { IRBuilder(module: self) }

    /// The module's current textual IR (unoptimized until `compile` runs the passes).
    package var irText: String {
        precondition(!isConsumed, "module '\(name)' was handed to the JIT")
        return takeLLVMMessage(LLVMPrintModuleToString(module))
    }

    /// Names of the functions this module defines (not merely declares) with external linkage.
    var definedFunctionNames: [String] {
        var names: [String] = []
        var function = LLVMGetFirstFunction(module)
        while let current = function {
            if LLVMIsDeclaration(current) == 0, LLVMGetLinkage(current) == LLVMExternalLinkage {
                var length = 0
                if let raw = LLVMGetValueName2(current, &length) { names.append(String(cString: raw)) }
            }
            function = LLVMGetNextFunction(current)
        }
        return names
    }

    /// Hands the module to ORC as a ThreadSafeModule; the builder and our context ref go away.
    func consume() -> LLVMOrcThreadSafeModuleRef {
        precondition(!isConsumed, "module '\(name)' consumed twice")
        isConsumed = true
        LLVMDisposeBuilder(builderRef)
        let threadSafeModule = LLVMOrcCreateNewThreadSafeModule(module, threadSafeContext)!
        LLVMOrcDisposeThreadSafeContext(threadSafeContext)
        return threadSafeModule
    }
}
