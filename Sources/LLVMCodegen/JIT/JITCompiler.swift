import CLLVM
import Foundation

/// Compiles `IRModule`s to machine code in this process with ORC LLJIT.
///
/// One instance can serve a whole process or a single compiled function. `compile` may be
/// called from several threads at once: IR verification and the O3 pipeline run
/// concurrently (each compile uses its module's own context and a fresh TargetMachine), and
/// so does codegen: each module becomes an object file on the calling thread
/// (`LLVMTargetMachineEmitToMemoryBuffer`). Only adding the object to the JIT and looking up
/// its symbols (linking) is serialized by one lock, as the LLVM facts note measured to be
/// required.
package final class JITCompiler: @unchecked Sendable {
    /// The host the JIT generates code for (CPU name + features).
    package let host: LLVMHost
    private let jit: LLVMOrcLLJITRef
    private let mainDylib: LLVMOrcJITDylibRef
    /// Guards `jit`/`mainDylib` mutations (add, lookup, tracker removal) and `nameCounter`.
    private let lock = NSLock()
    private var nameCounter = 0
    /// Names defined with `defineProcessSymbol` (guarded by `lock`).
    private var processSymbols: Set<String> = []
    /// Errors ORC reported out of band (e.g. "Symbols not found"), guarded by `errorLock`.
    private let errorLock = NSLock()
    private var sessionErrors: [String] = []

    /// Creates an LLJIT for the detected host whose code can call any symbol of this process.
    package init() throws(CodegenError) {
        host = LLVMHost.detect()
        var machineBuilder: LLVMOrcJITTargetMachineBuilderRef?
        if let message = llvmErrorMessage(LLVMOrcJITTargetMachineBuilderDetectHost(&machineBuilder)) {
            throw .jitSetup(message)
        }
        let builder = LLVMOrcCreateLLJITBuilder()
        LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(builder, machineBuilder)
        var created: LLVMOrcLLJITRef?
        if let message = llvmErrorMessage(LLVMOrcCreateLLJIT(&created, builder)) { throw .jitSetup(message) }
        guard let created else { throw .jitSetup("LLVMOrcCreateLLJIT returned no instance") }
        jit = created
        mainDylib = LLVMOrcLLJITGetMainJITDylib(created)
        var generator: LLVMOrcDefinitionGeneratorRef?
        let prefix = LLVMOrcLLJITGetGlobalPrefix(created)
        if let message = llvmErrorMessage(
            LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(&generator, prefix, nil, nil)) {
            _ = llvmErrorMessage(LLVMOrcDisposeLLJIT(created))
            throw .jitSetup(message)
        }
        LLVMOrcJITDylibAddGenerator(mainDylib, generator)
        LLVMOrcExecutionSessionSetErrorReporter(
            LLVMOrcLLJITGetExecutionSession(created), reportSessionError,
            Unmanaged.passUnretained(self).toOpaque())
    }

    deinit { _ = llvmErrorMessage(LLVMOrcDisposeLLJIT(jit)) }

    /// A symbol name unique within this JIT: `prefix` plus a counter (duplicate definitions
    /// in one JITDylib are an error).
    package func uniqueName(_ prefix: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        nameCounter += 1
        return "\(prefix)_\(nameCounter)"
    }

    /// Defines `name` in the main JITDylib as the address of a function of this process (once).
    ///
    /// The process-symbol generator resolves through `dlsym`, which only sees the dynamic
    /// symbol table; SwiftPM does not link executables with `--export-dynamic`, so Swift
    /// `@_cdecl` functions (the parallel runtime's entry) must be defined explicitly.
    /// Defining a name again is a no-op.
    package func defineProcessSymbol(_ name: String, address: UnsafeRawPointer) throws(CodegenError) {
        lock.lock()
        defer { lock.unlock() }
        guard !processSymbols.contains(name) else { return }
        let flags = LLVMJITSymbolFlags(
            GenericFlags: UInt8(LLVMJITSymbolGenericFlagsExported.rawValue | LLVMJITSymbolGenericFlagsCallable.rawValue),
            TargetFlags: 0)
        var pair = LLVMJITCSymbolMapPair(
            Name: LLVMOrcLLJITMangleAndIntern(jit, name),
            Sym: LLVMJITEvaluatedSymbol(Address: UInt64(UInt(bitPattern: address)), Flags: flags))
        let unit = LLVMOrcAbsoluteSymbols(&pair, 1)
        if let message = llvmErrorMessage(LLVMOrcJITDylibDefine(mainDylib, unit)) {
            LLVMOrcDisposeMaterializationUnit(unit)
            throw .jitSetup("defining \(name): \(message)")
        }
        processSymbols.insert(name)
    }

    /// Verifies, optionally optimizes (`default<O3>`) and JIT-compiles `module`.
    ///
    /// Takes ownership of the module when verification and optimization succeed; it is
    /// code-generated on this thread into an object file, which the JIT links, and every
    /// function it defines is looked up eagerly. With `captureIR` the
    /// returned module keeps the IR text as it was handed to codegen.
    package func compile(_ module: IRModule, optimize: Bool = true,
                         captureIR: Bool = false) throws(CodegenError) -> CompiledModule {
        guard !module.isConsumed else { throw .moduleAlreadyCompiled(module.name) }
        var timings = CompileTimings()
        var mark = ContinuousClock.now
        timings.build = mark - module.createdAt
        let machine = try TargetMachine(host: host)
        machine.configure(module.module)
        var message: UnsafeMutablePointer<CChar>?
        let broken = LLVMVerifyModule(module.module, LLVMReturnStatusAction, &message) != 0
        let verifierOutput = takeLLVMMessage(message)
        if broken { throw .verification(module: module.name, message: verifierOutput) }
        timings.verify = lap(&mark)
        if optimize {
            if let failure = machine.runPasses("default<O3>", on: module.module) {
                throw .optimization(module: module.name, message: failure)
            }
            timings.optimize = lap(&mark)
        }
        let irText = captureIR ? module.irText : nil
        mark = ContinuousClock.now  // the optional dump is not a compile stage
        let symbols = module.definedFunctionNames
        let object = try machine.emitObject(module.module, moduleName: module.name)
        LLVMOrcDisposeThreadSafeModule(module.consume())
        let (tracker, addresses) = try addAndLookUp(object, moduleName: module.name, symbols: symbols)
        timings.codegen = lap(&mark)
        return CompiledModule(compiler: self, tracker: tracker, addresses: addresses,
                              optimizedIR: irText, timings: timings)
    }

    /// Adds the object file under a new ResourceTracker and looks up `symbols` (linking the
    /// object), under the JIT lock. Machine code was already made outside the lock.
    private func addAndLookUp(_ object: LLVMMemoryBufferRef, moduleName: String,
                              symbols: [String]) throws(CodegenError)
        -> (LLVMOrcResourceTrackerRef, [String: UInt64]) {
        lock.lock()
        defer { lock.unlock() }
        _ = drainSessionErrors()  // drop stale reports (e.g. from an earlier tracker removal)
        let tracker = LLVMOrcJITDylibCreateResourceTracker(mainDylib)!
        if let message = llvmErrorMessage(LLVMOrcLLJITAddObjectFileWithRT(jit, tracker, object)) {
            LLVMOrcReleaseResourceTracker(tracker)
            throw .addModule(module: moduleName, message: message)
        }
        var addresses: [String: UInt64] = [:]
        for symbol in symbols {
            var address: LLVMOrcExecutorAddress = 0
            if let message = llvmErrorMessage(LLVMOrcLLJITLookup(jit, &address, symbol)) {
                removeLocked(tracker)
                let details = ([message] + drainSessionErrors()).joined(separator: "; ")
                throw .symbolLookup(symbol: symbol, message: details)
            }
            addresses[symbol] = address
        }
        return (tracker, addresses)
    }

    /// Records an error ORC reports outside a call's return value (instead of printing it).
    fileprivate func recordSessionError(_ message: String) {
        errorLock.lock()
        defer { errorLock.unlock() }
        sessionErrors.append(message)
    }

    /// Returns and clears the recorded session errors.
    private func drainSessionErrors() -> [String] {
        errorLock.lock()
        defer { errorLock.unlock() }
        defer { sessionErrors.removeAll() }
        return sessionErrors
    }

    /// Frees the code and data a tracker owns, then the tracker itself.
    func release(_ tracker: LLVMOrcResourceTrackerRef) {
        lock.lock()
        defer { lock.unlock() }
        removeLocked(tracker)
    }

    private func removeLocked(_ tracker: LLVMOrcResourceTrackerRef) {
        _ = llvmErrorMessage(LLVMOrcResourceTrackerRemove(tracker))
        LLVMOrcReleaseResourceTracker(tracker)
    }
}

/// ORC's error reporter: forwards the message to the owning `JITCompiler`.
private func reportSessionError(_ context: UnsafeMutableRawPointer?, _ error: LLVMErrorRef?) {
    guard let context, let message = llvmErrorMessage(error) else { return }
    Unmanaged<JITCompiler>.fromOpaque(context).takeUnretainedValue().recordSessionError(message)
}

/// Returns the time since `mark` and moves `mark` to now.
private func lap(_ mark: inout ContinuousClock.Instant) -> Duration {
    let now = ContinuousClock.now
    defer { mark = now }
    return now - mark
}
