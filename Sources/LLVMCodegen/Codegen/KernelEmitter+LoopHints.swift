import CLLVM
import KernelIR

/// The loop metadata of `vectorize` loops.
///
/// A `vectorize` loop's latch branch carries the loop ID
/// `!{!id, !{"llvm.loop.vectorize.enable", i1 true}, !{"llvm.loop.unroll.runtime.disable"}}`:
/// - `vectorize.enable` lets the vectorizer reassociate float reductions (LLVM 14 has no
///   per-instruction fast-math flags in its C API);
/// - `unroll.runtime.disable` keeps the unroller from unrolling the vectorized loop again.
///   With the host CPU LLVM 14 names `znver3` (Zen 3 and Zen 4), the unroller otherwise
///   unrolls the W1 loop 4× on top of the vectorizer's 16 lanes; the extra live constants
///   spill and the kernel runs about 8 % slower (4.93 vs 4.55 ms for 2^22 elements, measured
///   on Zen 4). Constant-trip loops are still fully unrolled where that pays.
///
/// Loops with a `checkIndex` (an early return) or an inner loop cannot be vectorized by LLVM's
/// loop vectorizer; asking anyway makes LLVM print "loop not vectorized" warnings, so they
/// get no hints.
extension KernelEmitter {
    /// True when LLVM can vectorize `loop` and the lowering asked for it.
    static func canVectorize(_ loop: Loop) -> Bool {
        loop.vectorize && !loop.body.contains(where: blocksVectorization)
    }

    private static func blocksVectorization(_ statement: KStmt) -> Bool {
        switch statement {
        case .loop, .checkIndex: true
        case .assign, .store, .yield: false
        }
    }

    /// Attaches the hints to the back-edge of the loop whose exit block is `exit` (the latch
    /// is the block emitted just before it, see `IRBuilder.emitLoop`).
    func attachLoopHints(latchBefore exit: LLVMBasicBlockRef) {
        guard let latch = LLVMGetPreviousBasicBlock(exit), let branch = LLVMGetBasicBlockTerminator(latch),
              String(cString: LLVMGetBasicBlockName(latch)).hasPrefix("loop.latch") else {
            preconditionFailure("the block before a loop's exit is not its latch")
        }
        let context = b.context
        let temporary = LLVMTemporaryMDNode(context, nil, 0)
        var idOperands: [LLVMMetadataRef?] = [
            temporary,
            hint(context, "llvm.loop.vectorize.enable", LLVMValueAsMetadata(b.i1(true))),
            hint(context, "llvm.loop.unroll.runtime.disable", nil),
        ]
        let loopID = LLVMMDNodeInContext2(context, &idOperands, idOperands.count)
        LLVMMetadataReplaceAllUsesWith(temporary, loopID)
        LLVMSetMetadata(branch, LLVMGetMDKindIDInContext(context, "llvm.loop", 9), LLVMMetadataAsValue(context, loopID))
    }

    /// `!{!"key"}` or `!{!"key", value}`.
    private func hint(_ context: LLVMContextRef, _ key: String, _ value: LLVMMetadataRef?) -> LLVMMetadataRef {
        var operands: [LLVMMetadataRef?] = [LLVMMDStringInContext2(context, key, key.utf8.count)]
        if let value { operands.append(value) }
        return LLVMMDNodeInContext2(context, &operands, operands.count)
    }
}
