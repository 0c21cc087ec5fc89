import CLLVM

/// An owned LLVM TargetMachine for the host (host CPU name + host features, -O3 codegen).
///
/// A TargetMachine is never shared across threads (see the LLVM facts note: sharing one
/// between concurrent `LLVMRunPasses` calls crashes); the JIT makes a fresh one per
/// compile, which costs about 0.13 ms.
final class TargetMachine {
    let ref: LLVMTargetMachineRef
    let triple: String

    /// Creates a TargetMachine for `host` with `LLVMCodeGenLevelAggressive`.
    init(host: LLVMHost) throws(CodegenError) {
        var target: LLVMTargetRef?
        var message: UnsafeMutablePointer<CChar>?
        guard LLVMGetTargetFromTriple(host.triple, &target, &message) == 0, let target else {
            throw .target(takeLLVMMessage(message))
        }
        _ = takeLLVMMessage(message)
        guard let machine = LLVMCreateTargetMachine(
            target, host.triple, host.cpuName, host.features,
            LLVMCodeGenLevelAggressive, LLVMRelocDefault, LLVMCodeModelJITDefault)
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
}
