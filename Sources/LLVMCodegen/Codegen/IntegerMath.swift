import CLLVM

/// int64-lane helpers with `ScalarMath.int64`'s wrapping semantics (operands are `i64`).
struct IntegerMath {
    let b: IRBuilder

    func isNonZero(_ x: IRValue) -> IRValue { b.icmp(LLVMIntNE, x, b.i64(0)) }
    func max(_ x: IRValue, _ y: IRValue) -> IRValue { b.select(b.icmp(LLVMIntSGE, x, y), x, y) }
    func min(_ x: IRValue, _ y: IRValue) -> IRValue { b.select(b.icmp(LLVMIntSLE, x, y), x, y) }

    /// -1, 0 or 1.
    func sign(_ x: IRValue) -> IRValue {
        let positive = b.zext(b.icmp(LLVMIntSGT, x, b.i64(0)), to: b.i64)
        let negative = b.zext(b.icmp(LLVMIntSLT, x, b.i64(0)), to: b.i64)
        return b.sub(positive, negative)
    }

    /// Python's floor division; a zero divisor gives 0 and `Int64.min / -1` wraps to
    /// `Int64.min` (`ScalarMath.floorDivide`). Never executes a trapping `sdiv`.
    func floorDivide(_ x: IRValue, _ y: IRValue) -> IRValue {
        let zero = b.icmp(LLVMIntEQ, y, b.i64(0))
        let minusOne = b.icmp(LLVMIntEQ, y, b.i64(-1))
        let divisor = b.select(b.or(zero, minusOne), b.i64(1), y)
        let truncated = LLVMBuildSDiv(b.ref, x, divisor, "")!
        let remainder = b.sub(x, b.mul(truncated, divisor))
        let signsDiffer = b.icmp(LLVMIntSLT, b.xor(remainder, divisor), b.i64(0))
        let adjust = b.and(isNonZero(remainder), signsDiffer)
        let floored = b.sub(truncated, b.zext(adjust, to: b.i64))
        let negated = b.sub(b.i64(0), x)
        return b.select(zero, b.i64(0), b.select(minusOne, negated, floored))
    }

    /// Python's floor modulo `x - floorDivide(x, y)·y` (wrapping); a zero divisor gives 0.
    func floorModulo(_ x: IRValue, _ y: IRValue) -> IRValue {
        let value = b.sub(x, b.mul(floorDivide(x, y), y))
        return b.select(b.icmp(LLVMIntEQ, y, b.i64(0)), b.i64(0), value)
    }

    /// `base^exponent` by square-and-multiply with wrapping (`ScalarMath.integerPower`); a
    /// negative exponent gives 0 unless the base is ±1.
    ///
    /// Emits a small loop over the exponent's bits (64 - ctlz iterations) at the insertion
    /// point; the insertion point ends after it.
    func power(_ base: IRValue, _ exponent: IRValue) -> IRValue {
        let ctlz = b.declareFunction("llvm.ctlz.i64", returning: b.i64, parameters: [b.i64, b.i1])
        let bits = b.sub(b.i64(64), b.call(ctlz, [exponent, b.i1(false)]))
        let positiveBits = b.select(b.icmp(LLVMIntSGT, exponent, b.i64(0)), bits, b.i64(0))
        let results = b.emitLoop(from: b.i64(0), to: positiveBits, carrying: [b.i64(1), base]) { b, bit, carried in
            let set = b.icmp(LLVMIntNE, b.and(b.lshr(exponent, bit), b.i64(1)), b.i64(0))
            let product = b.select(set, b.mul(carried[0], carried[1]), carried[0])
            return [product, b.mul(carried[1], carried[1])]
        }
        let odd = b.icmp(LLVMIntNE, b.and(exponent, b.i64(1)), b.i64(0))
        let minusOnePower = b.select(odd, b.i64(-1), b.i64(1))
        let negativeResult = b.select(b.icmp(LLVMIntEQ, base, b.i64(1)), b.i64(1),
                                      b.select(b.icmp(LLVMIntEQ, base, b.i64(-1)), minusOnePower, b.i64(0)))
        return b.select(b.icmp(LLVMIntSLT, exponent, b.i64(0)), negativeResult, results[0])
    }
}
