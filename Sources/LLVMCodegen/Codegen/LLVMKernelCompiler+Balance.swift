import CLLVM
import KernelIR

/// Splitting a compile's kernels into groups of similar LLVM cost (one module per group).
extension LLVMKernelCompiler {
    /// Kernel indices `0..<costs.count` in at most `parts` non-empty groups of balanced total
    /// cost (largest first onto the cheapest group), each group in ascending index order;
    /// one group, possibly empty, when there are no kernels.
    static func groups(costs: [Int], parts: Int) -> [[Int]] {
        let count = max(1, min(parts, costs.count))
        var groups = [[Int]](repeating: [], count: count)
        var totals = [Int](repeating: 0, count: count)
        let order = costs.indices.sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
        for index in order {
            let cheapest = totals.indices.min { totals[$0] < totals[$1] }!
            groups[cheapest].append(index)
            totals[cheapest] += costs[index]
        }
        return groups.map { $0.sorted() }
    }

    /// The estimated LLVM cost of each kernel when they are split into `parts` groups: the
    /// number of instructions it emits before optimization (a proxy for its O3 + codegen time;
    /// emitting is ~2% of that, done in parallel). All 1 when there is nothing to split.
    static func costs(_ kernels: [Kernel], parts: Int) throws -> [Int] {
        guard parts > 1, kernels.count > 1 else { return kernels.map { _ in 1 } }
        return try ParallelCompile.map(kernels.count) { index in emittedSize(kernels[index]) }
    }

    /// The number of instructions `kernel` emits (into a throwaway module).
    static func emittedSize(_ kernel: Kernel) -> Int {
        let module = IRModule(name: "size")
        let placeholder = UnsafeRawPointer(bitPattern: 1)!  // the runtime address is only baked in
        KernelEmitter(kernel: kernel, builder: module.builder, symbol: "size", runtime: placeholder).emit()
        return module.instructionCount
    }
}

extension IRModule {
    /// How many instructions the module's function bodies hold.
    var instructionCount: Int {
        var count = 0
        var function = LLVMGetFirstFunction(module)
        while let currentFunction = function {
            var block = LLVMGetFirstBasicBlock(currentFunction)
            while let currentBlock = block {
                var instruction = LLVMGetFirstInstruction(currentBlock)
                while let current = instruction {
                    count += 1
                    instruction = LLVMGetNextInstruction(current)
                }
                block = LLVMGetNextBasicBlock(currentBlock)
            }
            function = LLVMGetNextFunction(currentFunction)
        }
        return count
    }
}
