import Foundation
import GraphIR
import KernelIR

/// The LLVM backend's `KernelCompiler`: loop-IR kernels to machine code in this process.
///
/// All kernels of one `compile` call go into one LLVM module, optimized (`default<O3>`) and
/// JIT-compiled once; see `KernelEmitter` for the functions each kernel becomes and
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

    /// Verifies the kernels (throwing `KernelIRError`), emits one module and JIT-compiles it
    /// (throwing `CodegenError` if LLVM fails).
    package func compileKernels(_ kernels: [Kernel]) throws -> LLVMKernelExecutor {
        let problems = kernels.flatMap(verifyKernel)
        guard problems.isEmpty else { throw KernelIRError("kernels do not verify", problems) }
        let jit = try self.jit ?? Self.sharedJIT.get()
        try jit.defineProcessSymbol(ParallelRuntime.entrySymbol, address: ParallelRuntime.entryAddress)
        let name = Self.moduleName(kernels)
        let module = IRModule(name: name)
        let runtimeAddress = UnsafeRawPointer(Unmanaged.passUnretained(runtime).toOpaque())
        var symbols: [String] = []
        for kernel in kernels {
            let symbol = jit.uniqueName(Self.identifier(kernel.name))
            KernelEmitter(kernel: kernel, builder: module.builder, symbol: symbol, runtime: runtimeAddress).emit()
            symbols.append(symbol)
        }
        let compiled = try jit.compile(module, optimize: optimize, captureIR: captureIR)
        let entries = try symbols.map { try compiled.function($0, as: LLVMKernelExecutor.Entry.self) }
        return LLVMKernelExecutor(moduleName: name, symbols: symbols, module: compiled, entries: entries,
                                  runtime: runtime)
    }

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
    private let module: CompiledModule
    private let entries: [Entry]

    init(moduleName: String, symbols: [String], module: CompiledModule, entries: [Entry], runtime: ParallelRuntime) {
        self.moduleName = moduleName
        self.symbols = symbols
        self.module = module
        self.entries = entries
        self.runtime = runtime
    }

    /// Wall-clock time of each compile stage (IR construction, verification, O3, codegen).
    package var timings: CompileTimings { module.timings }
    /// The optimized IR as handed to codegen, when the compiler captured it.
    package var optimizedIR: String? { module.optimizedIR }

    package func run(kernel index: Int, buffers: UnsafePointer<UnsafeMutableRawPointer>,
                     params: UnsafePointer<Int64>) -> Int32 {
        withExtendedLifetime(self) { entries[index](buffers, params) }
    }
}
