import CLLVM

/// Wall-clock time spent in each stage of one compile.
package struct CompileTimings: Sendable, Equatable {
    /// From `IRModule` creation to the start of `compile` (IR construction).
    package var build: Duration = .zero
    /// `LLVMVerifyModule` (plus TargetMachine creation).
    package var verify: Duration = .zero
    /// The `default<O3>` pipeline (zero when not optimizing).
    package var optimize: Duration = .zero
    /// Making the object file (machine code), then adding it to the JIT and looking up every
    /// symbol (linking).
    package var codegen: Duration = .zero

    package var total: Duration { build + verify + optimize + codegen }
}

/// Machine code for one compiled module; the code stays valid while this object lives.
///
/// Owns the module's ORC ResourceTracker and removes it (freeing the code) in `deinit`.
/// Keeps its `JITCompiler` alive. Calling the compiled functions concurrently is fine.
package final class CompiledModule: @unchecked Sendable {
    private let compiler: JITCompiler
    private let tracker: LLVMOrcResourceTrackerRef
    private let addresses: [String: UInt64]
    /// The IR text handed to codegen (after O3 when optimizing), if `captureIR` was set.
    package let optimizedIR: String?
    package let timings: CompileTimings

    init(compiler: JITCompiler, tracker: LLVMOrcResourceTrackerRef, addresses: [String: UInt64],
         optimizedIR: String?, timings: CompileTimings) {
        self.compiler = compiler
        self.tracker = tracker
        self.addresses = addresses
        self.optimizedIR = optimizedIR
        self.timings = timings
    }

    deinit { compiler.release(tracker) }

    /// The names of the functions the module defines.
    package var symbols: [String] { addresses.keys.sorted() }

    /// The entry address of `symbol`.
    package func address(of symbol: String) throws(CodegenError) -> UnsafeRawPointer {
        guard let raw = addresses[symbol], let pointer = UnsafeRawPointer(bitPattern: UInt(raw)) else {
            throw .unknownSymbol(symbol)
        }
        return pointer
    }

    /// `symbol` as a callable C function of type `F` (an `@convention(c)` function type).
    ///
    /// The code is freed with this object, and Swift may release an object right after its
    /// last use, so the caller must keep it alive while calling the result (store it, use
    /// `withExtendedLifetime`, or call through `withFunction`).
    package func function<F>(_ symbol: String, as type: F.Type) throws(CodegenError) -> F {
        unsafeBitCast(try address(of: symbol), to: type)
    }

    /// Runs `body` with `symbol` as a C function of type `F`, keeping the code alive meanwhile.
    package func withFunction<F, R>(_ symbol: String, as type: F.Type,
                                    _ body: (F) throws -> R) throws -> R {
        let function = try function(symbol, as: type)
        return try withExtendedLifetime(self) { try body(function) }
    }
}
