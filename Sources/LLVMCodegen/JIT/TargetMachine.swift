import CLLVM

/// An owned LLVM TargetMachine for the host (host CPU name + host features, -O2 codegen).
///
/// A TargetMachine is never shared across threads (see the LLVM facts note: sharing one
/// between concurrent `LLVMRunPasses` calls crashes); the JIT makes a fresh one per
/// compile, which costs about 0.13 ms.
final class TargetMachine {
    let ref: LLVMTargetMachineRef
    let triple: String

    /// Creates a TargetMachine for `host` with `LLVMCodeGenLevelDefault`, the level the
    /// LLJIT's own compiler used (`LLVMOrcJITTargetMachineBuilderDetectHost`) when codegen ran
    /// inside the JIT; `-O3` codegen was measured slower to compile and no faster to run.
    init(host: LLVMHost) throws(CodegenError) {
        var target: LLVMTargetRef?
        var message: UnsafeMutablePointer<CChar>?
        guard LLVMGetTargetFromTriple(host.triple, &target, &message) == 0, let target else {
            throw .target(takeLLVMMessage(message))
        }
        _ = takeLLVMMessage(message)
        guard let machine = LLVMCreateTargetMachine(
            target, host.triple, host.cpuName, host.features,
            LLVMCodeGenLevelDefault, LLVMRelocDefault, LLVMCodeModelJITDefault)
        else { throw .target("LLVMCreateTargetMachine returned null for \(host.triple)") }
        ref = machine
        triple = host.triple
    }

    deinit { LLVMDisposeTargetMachine(ref) }

    /// Sets the module's target triple and data layout to this machine's.
    func configure(_ module: LLVMModuleRef) {
        LLVMSetTarget(module, triple)
        let layout = LLVMCreateTargetDataLayout(ref)
        LLVMSetModuleDataLayout(module, layout)
        LLVMDisposeTargetData(layout)
    }

    /// Runs the new-PM pipeline `pipeline` (e.g. `default<O3>`) with vectorization enabled.
    func runPasses(_ pipeline: String, on module: LLVMModuleRef) -> String? {
        let options = LLVMCreatePassBuilderOptions()
        defer { LLVMDisposePassBuilderOptions(options) }
        LLVMPassBuilderOptionsSetLoopVectorization(options, 1)
        LLVMPassBuilderOptionsSetSLPVectorization(options, 1)
        LLVMPassBuilderOptionsSetLoopInterleaving(options, 1)
        LLVMPassBuilderOptionsSetLoopUnrolling(options, 1)
        return llvmErrorMessage(LLVMRunPasses(module, pipeline, ref, options))
    }

    /// Emits `module` as an ELF object file in memory (machine code for the JIT to link).
    ///
    /// Codegen's IR passes mutate the module, so it must not be used afterwards except to be
    /// disposed. The JIT code model (large) lets the object be loaded at any address.
    func emitObject(_ module: LLVMModuleRef, moduleName: String) throws(CodegenError) -> LLVMMemoryBufferRef {
        var message: UnsafeMutablePointer<CChar>?
        var buffer: LLVMMemoryBufferRef?
        let failed = LLVMTargetMachineEmitToMemoryBuffer(ref, module, LLVMObjectFile, &message, &buffer) != 0
        let text = takeLLVMMessage(message)
        guard !failed, let buffer else { throw .codegen(module: moduleName, message: text) }
        return buffer
    }
}
