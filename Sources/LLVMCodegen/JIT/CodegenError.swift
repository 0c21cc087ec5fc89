import CLLVM

/// A failure while turning LLVM IR into machine code, carrying LLVM's own message.
///
/// These are internal-compiler errors from the user's point of view (a correct kernel IR
/// always verifies); the backend reports them instead of crashing so a failed compile
/// leaves the process usable.
package enum CodegenError: Error, Equatable, CustomStringConvertible {
    /// LLVM knows no target for the host triple, or could not build a TargetMachine.
    case target(String)
    /// Creating the ORC LLJIT or its process-symbol generator failed.
    case jitSetup(String)
    /// `LLVMVerifyModule` rejected the module.
    case verification(module: String, message: String)
    /// The `default<O3>` pipeline reported an error.
    case optimization(module: String, message: String)
    /// Making the object file (machine code) failed.
    case codegen(module: String, message: String)
    /// ORC refused the module (for example a duplicate symbol definition).
    case addModule(module: String, message: String)
    /// Looking up (and therefore code-generating) a symbol failed.
    case symbolLookup(symbol: String, message: String)
    /// `address(of:)` asked for a symbol the compiled module does not define.
    case unknownSymbol(String)
    /// The module was already handed to the JIT (an `IRModule` compiles once).
    case moduleAlreadyCompiled(String)

    package var description: String {
        switch self {
        case .target(let message): "LLVM target setup failed: \(message)"
        case .jitSetup(let message): "LLJIT setup failed: \(message)"
        case .verification(let module, let message): "module '\(module)' failed verification: \(message)"
        case .optimization(let module, let message): "optimizing module '\(module)' failed: \(message)"
        case .codegen(let module, let message): "generating code for module '\(module)' failed: \(message)"
        case .addModule(let module, let message): "adding module '\(module)' to the JIT failed: \(message)"
        case .symbolLookup(let symbol, let message): "looking up '\(symbol)' failed: \(message)"
        case .unknownSymbol(let symbol): "the compiled module defines no symbol '\(symbol)'"
        case .moduleAlreadyCompiled(let module): "module '\(module)' was already compiled"
        }
    }
}

/// Converts an `LLVMErrorRef` into its message (consuming the error), or nil for success.
func llvmErrorMessage(_ error: LLVMErrorRef?) -> String? {
    guard let error else { return nil }
    guard let cString = LLVMGetErrorMessage(error) else { return "unknown LLVM error" }
    defer { LLVMDisposeErrorMessage(cString) }
    return String(cString: cString)
}

/// Copies and frees a message string LLVM allocated with `LLVMCreateMessage`-style ownership.
func takeLLVMMessage(_ message: UnsafeMutablePointer<CChar>?) -> String {
    guard let message else { return "" }
    defer { LLVMDisposeMessage(message) }
    return String(cString: message)
}
