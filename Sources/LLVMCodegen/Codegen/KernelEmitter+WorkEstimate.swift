import CLLVM
import GraphIR
import KernelIR
import TensorRuntime

/// The per-iteration work estimate passed to the parallel runtime (its serial cutoff).
extension KernelEmitter {
    /// Estimated scalar operations of one iteration of `body`, as an f64 computed before the
    /// loop: a static count of operations, with inner loops multiplied by their trip counts
    /// where those depend only on sizes and the values in `invariant` (16 trips otherwise).
    func workEstimate(_ body: [KStmt], invariant: Set<ValueID>) -> IRValue {
        var total = b.f64(0)
        var fixed = 0.0
        for statement in body {
            switch statement {
            case .loop(let inner):
                fixed += 1 + inner.carried.reduce(0) { $0 + cost($1.initial) }
                let trips: IRValue
                if isInvariant(inner.lower, invariant), isInvariant(inner.upper, invariant) {
                    let count = b.sub(expression(inner.upper), expression(inner.lower))
                    trips = b.siToFP(IntegerMath(b: b).max(count, b.i64(0)), to: b.f64)
                } else {
                    trips = b.f64(16)
                }
                total = b.fadd(total, b.fmul(trips, workEstimate(inner.body, invariant: invariant)))
            case .assign(_, _, let value): fixed += 1 + cost(value)
            case .store(_, let index, let value): fixed += 1 + cost(index) + cost(value)
            case .yield(let values): fixed += values.reduce(0) { $0 + cost($1) }
            case .checkIndex(let index, let bound, _): fixed += 1 + cost(index) + cost(bound)
            }
        }
        return b.fadd(total, b.f64(fixed))
    }

    /// A rough operation count of an expression tree (transcendentals count 20, pow 40).
    private func cost(_ e: KExpr) -> Double {
        switch e {
        case .constant, .intConstant, .param, .value: return 0
        case .load(_, let index): return 1 + cost(index)
        case .index(_, let x, let y): return 1 + cost(x) + cost(y)
        case .op(let op, let operands): return Self.opCost(op) + operands.reduce(0) { $0 + cost($1) }
        }
    }

    private static func opCost(_ op: ScalarOp) -> Double {
        switch op {
        case .exp, .log, .log1p, .expm1, .tanh, .sigmoid, .softplus, .erf: 20
        case .pow: 40
        case .neg, .sqrt, .abs, .sign, .relu, .logicalNot, .cast, .add, .sub, .mul, .div, .maximum, .minimum,
             .eq, .neq, .lt, .le, .gt, .ge, .logicalAnd, .logicalOr, .select, .clip: 1
        }
    }

    /// True when `e` uses only constants, sizes and the values in `invariant`.
    private func isInvariant(_ e: KExpr, _ invariant: Set<ValueID>) -> Bool {
        switch e {
        case .constant, .intConstant, .param: return true
        case .value(let id): return invariant.contains(id)
        case .load: return false
        case .index(_, let x, let y): return isInvariant(x, invariant) && isInvariant(y, invariant)
        case .op(_, let operands): return operands.allSatisfy { isInvariant($0, invariant) }
        }
    }
}
