import CLLVM

/// Counted loops in canonical form, optionally carrying values (reductions).
extension IRBuilder {
    /// Emits `for i in start..<end { body(i) }` at the insertion point.
    ///
    /// Shape: the current block (preheader) branches to `header`, which holds the
    /// induction phi and the `i < end` test (signed i64); `body` runs in its own block(s)
    /// and falls into `latch`, which increments `i` (nsw) and branches back. With
    /// `vectorize`, the latch branch carries `llvm.loop.vectorize.enable = true`, which on
    /// LLVM 14 lets the vectorizer reassociate FP reductions. The insertion point ends in
    /// the exit block.
    package func emitLoop(from start: IRValue, to end: IRValue, vectorize: Bool = false,
                          body: (IRBuilder, _ index: IRValue) -> Void) {
        emitLoop(from: start, to: end, carrying: [], vectorize: vectorize) { builder, index, _ in
            body(builder, index)
            return []
        }
    }

    /// Emits a counted loop whose body maps loop-carried values to their next values.
    ///
    /// `initial` seeds one header phi each; `body` receives the current values and returns
    /// the next ones (same count and types). Returns the values after the last iteration
    /// (the header phis, which dominate the exit), i.e. `initial` when the loop runs 0 times.
    @discardableResult
    package func emitLoop(from start: IRValue, to end: IRValue, carrying initial: [IRValue],
                          vectorize: Bool = false,
                          body: (IRBuilder, _ index: IRValue, _ carried: [IRValue]) -> [IRValue]) -> [IRValue] {
        let function = currentFunction
        let preheader = currentBlock
        let header = appendBlock(function, "loop.header")
        let bodyBlock = appendBlock(function, "loop.body")
        let latch = appendBlock(function, "loop.latch")
        let exit = appendBlock(function, "loop.exit")
        branch(to: header)

        position(atEndOf: header)
        let index = phi(type(of: start), [(start, preheader)])
        let carried = initial.map { phi(type(of: $0), [($0, preheader)]) }
        branch(if: icmp(LLVMIntSLT, index, end), then: bodyBlock, else: exit)

        position(atEndOf: bodyBlock)
        let next = body(self, index, carried)
        precondition(next.count == carried.count, "loop body must return one value per carried value")
        branch(to: latch)

        position(atEndOf: latch)
        let incremented = addNSW(index, LLVMConstInt(type(of: start), 1, 0))
        let backEdge = branch(to: header)
        if vectorize { attachVectorizeEnable(to: backEdge) }
        addIncoming(index, [(incremented, latch)])
        for (node, value) in zip(carried, next) { addIncoming(node, [(value, latch)]) }

        position(atEndOf: exit)
        return carried
    }

    /// Attaches the self-referential loop ID `!{!id, !{"llvm.loop.vectorize.enable", i1 true}}`.
    ///
    /// `branch` must be the loop's latch (back-edge) branch.
    package func attachVectorizeEnable(to branch: IRValue) {
        let temporary = LLVMTemporaryMDNode(context, nil, 0)
        let key = "llvm.loop.vectorize.enable"
        var enableOperands: [LLVMMetadataRef?] = [
            LLVMMDStringInContext2(context, key, key.utf8.count),
            LLVMValueAsMetadata(i1(true)),
        ]
        let enable = LLVMMDNodeInContext2(context, &enableOperands, 2)
        var idOperands: [LLVMMetadataRef?] = [temporary, enable]
        let loopID = LLVMMDNodeInContext2(context, &idOperands, 2)
        LLVMMetadataReplaceAllUsesWith(temporary, loopID)
        let kind = LLVMGetMDKindIDInContext(context, "llvm.loop", 9)
        LLVMSetMetadata(branch, kind, LLVMMetadataAsValue(context, loopID))
    }
}
