import CLLVM

/// What LLVM reports about the machine it would generate code for.
///
/// The JIT backend (a later stage) builds its TargetMachine from exactly these values:
/// the host CPU name plus the host feature string (on this Zen 5, LLVM 14 names the CPU
/// `generic` but the features still enable AVX-512).
package struct LLVMHost: Sendable, Equatable {
    package let triple: String
    package let cpuName: String
    package let features: String

    /// Queries LLVM's host detection (after initialising the native target once).
    package static func detect() -> LLVMHost {
        _ = nativeTargetInitialized
        return LLVMHost(triple: take(LLVMGetDefaultTargetTriple()),
                        cpuName: take(LLVMGetHostCPUName()),
                        features: take(LLVMGetHostCPUFeatures()))
    }

    /// True when the host feature string enables `feature` (e.g. "avx512f").
    package func hasFeature(_ feature: String) -> Bool {
        features.split(separator: ",").contains { $0 == "+\(feature)" }
    }

    /// The LLVM version this module was compiled against, e.g. "14.0.6".
    package static var version: String {
        "\(LLVM_VERSION_MAJOR).\(LLVM_VERSION_MINOR).\(LLVM_VERSION_PATCH)"
    }
}

/// Initialises the X86 target once per process (thread-safe through `static let` semantics).
private let nativeTargetInitialized: Bool = {
    LLVMInitializeX86TargetInfo()
    LLVMInitializeX86Target()
    LLVMInitializeX86TargetMC()
    LLVMInitializeX86AsmPrinter()
    return true
}()

/// Copies and frees a string LLVM allocated.
private func take(_ message: UnsafeMutablePointer<CChar>?) -> String {
    guard let message else { return "" }
    defer { LLVMDisposeMessage(message) }
    return String(cString: message)
}
