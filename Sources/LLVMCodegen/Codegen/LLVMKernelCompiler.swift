import Foundation
import GraphIR
import KernelIR

/// The LLVM backend's `KernelCompiler`: loop-IR kernels to machine code in this process.
///
/// The kernels of one `compile` call are dealt into one LLVM module per core, each optimized
/// (`default<O3>`) and code-generated on its own thread, so a cold compile uses every core; see `KernelEmitter` for the functions each kernel becomes and
/// `ScalarOpEmitter` for the op semantics (those of GraphIR's reference interpreter).
/// Compiling is thread-safe, and so is calling the returned executor.
package struct LLVMKernelCompiler: KernelCompiler {
    /// The JIT to compile into; nil uses one process-wide JIT.
    package let jit: JITCompiler?
    /// The thread pool that runs `parallel` loops.
    package let runtime: ParallelRuntime
    /// Run `default<O3>` (off only for debugging the emitted IR).
    package let optimize: Bool
    /// Keep the optimized IR text in the executor (`LLVMKernelExecutor.optimizedIR`).
    package let captureIR: Bool

    package init(jit: JITCompiler? = nil, runtime: ParallelRuntime = .shared, optimize: Bool = true,
                 captureIR: Bool = true) {
        self.jit = jit
        self.runtime = runtime
        self.optimize = optimize
        self.captureIR = captureIR
    }

    package func compile(_ kernels: [Kernel]) throws -> any KernelExecutor {
        try compileKernels(kernels)
    }

    /// Verifies the kernels (throwing `KernelIRError`), emits them into up to one module per
    /// core and JIT-compiles those in parallel (throwing `CodegenError` if LLVM fails).
    package func compileKernels(_ kernels: [Kernel]) throws -> LLVMKernelExecutor {
        let problems = kernels.flatMap(verifyKernel)
        guard problems.isEmpty else { throw KernelIRError("kernels do not verify", problems) }
        let jit = try self.jit ?? Self.sharedJIT.get()
        try jit.defineProcessSymbol(ParallelRuntime.entrySymbol, address: ParallelRuntime.entryAddress)
        let name = Self.moduleName(kernels)
        let symbols = kernels.map { jit.uniqueName(Self.identifier($0.name)) }
        let groups = try Self.groups(costs: Self.costs(kernels, parts: Self.compileThreads), parts: Self.compileThreads)
        let modules = try ParallelCompile.map(groups.count) { group throws -> CompiledModule in
            try compileGroup(groups[group].map { (kernels[$0], symbols[$0]) }, name: name, part: group, jit: jit)
        }
        var entries = [LLVMKernelExecutor.Entry?](repeating: nil, count: kernels.count)
        for (group, module) in zip(groups, modules) {
            for index in group { entries[index] = try module.function(symbols[index], as: LLVMKernelExecutor.Entry.self) }
        }
        return LLVMKernelExecutor(moduleName: name, symbols: symbols, modules: modules,
                                  entries: entries.map { $0! }, runtime: runtime)
    }

    /// Emits `kernels` (with their symbols) into one module and JIT-compiles it.
    private func compileGroup(_ kernels: [(Kernel, String)], name: String, part: Int,
                              jit: JITCompiler) throws -> CompiledModule {
        let module = IRModule(name: part == 0 ? name : "\(name).part\(part)")
        let runtimeAddress = UnsafeRawPointer(Unmanaged.passUnretained(runtime).toOpaque())
        for (kernel, symbol) in kernels {
            KernelEmitter(kernel: kernel, builder: module.builder, symbol: symbol, runtime: runtimeAddress).emit()
        }
        return try jit.compile(module, optimize: optimize, captureIR: captureIR)
    }

    /// How many modules a compile is split into at most: one per core.
    static let compileThreads = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// The process-wide JIT (created on first use).
    private static let sharedJIT: Result<JITCompiler, CodegenError> = Result { () throws(CodegenError) in
        try JITCompiler()
    }

    /// `hypatia.<kernel names>`: the first three names, then a count of the rest.
    static func moduleName(_ kernels: [Kernel]) -> String {
        let names = kernels.prefix(3).map { identifier($0.name) }
        let rest = kernels.count > 3 ? [".and\(kernels.count - 3)more"] : []
        return (["hypatia"] + names).joined(separator: ".") + rest.joined()
    }

    /// `name` with every character outside `[A-Za-z0-9_]` replaced by `_` (never empty).
    static func identifier(_ name: String) -> String {
        let mapped = name.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "_") ? Character(scalar) : "_"
        }
        return mapped.isEmpty ? "kernel" : String(mapped)
    }
}

/// Compiled kernels: the JIT-compiled module and one entry point per kernel.
///
/// Calling `run` from many threads at once is safe: the kernels keep no state, and
/// parallel loops share the runtime's pool (a caller that finds it busy runs serially).
package final class LLVMKernelExecutor: KernelExecutor, @unchecked Sendable {
    /// `i32 (i8** buffers, i64* params)`.
    typealias Entry = @convention(c) (UnsafePointer<UnsafeMutableRawPointer>, UnsafePointer<Int64>) -> Int32

    /// The LLVM module's name (derived from the kernel names).
    package let moduleName: String
    /// The exported entry symbol of each kernel, in order.
    package let symbols: [String]
    /// The pool parallel loops run on (its address is baked into the code).
    package let runtime: ParallelRuntime
    /// The compiled modules (one per compile thread); they own the code `entries` point into.
    private let modules: [CompiledModule]
    private let entries: [Entry]

    init(moduleName: String, symbols: [String], modules: [CompiledModule], entries: [Entry],
         runtime: ParallelRuntime) {
        self.moduleName = moduleName
        self.symbols = symbols
        self.modules = modules
        self.entries = entries
        self.runtime = runtime
    }

    /// Wall-clock time of each compile stage (IR construction, verification, O3, codegen):
    /// the longest of the modules compiled in parallel.
    package var timings: CompileTimings {
        modules.map(\.timings).reduce(CompileTimings()) { longest, next in
            CompileTimings(build: max(longest.build, next.build), verify: max(longest.verify, next.verify),
                           optimize: max(longest.optimize, next.optimize), codegen: max(longest.codegen, next.codegen))
        }
    }
    /// The optimized IR as handed to codegen (the modules' texts in order), when captured.
    package var optimizedIR: String? {
        let texts = modules.compactMap(\.optimizedIR)
        return texts.count == modules.count ? texts.joined(separator: "\n") : nil
    }

    package func run(kernel index: Int, buffers: UnsafePointer<UnsafeMutableRawPointer>,
                     params: UnsafePointer<Int64>) -> Int32 {
        withExtendedLifetime(self) { entries[index](buffers, params) }
    }
}
