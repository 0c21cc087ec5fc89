import Foundation
import TensorRuntime

/// A scalar function of one lane, by arity.
package enum LaneFunction<T> {
    case unary((T) -> T)
    case binary((T, T) -> T)
    case ternary((T, T, T) -> T)
}

/// The reference scalar semantics of every `ScalarOp` in the two lanes.
///
/// Floating dtypes compute in `Double` (the caller rounds to the dtype); integer and bool
/// dtypes compute in `Int64` with wrapping arithmetic (the caller truncates to the dtype).
/// Comparisons and logical ops give 1 or 0. `cast` is the identity: the conversion happens
/// when the lane value is stored into the result dtype.
package enum ScalarMath {
    /// The Double-lane function of `op`.
    package static func double(_ op: ScalarOp) -> LaneFunction<Double> {
        switch op {
        case .neg: return .unary { -$0 }
        case .exp: return .unary { Foundation.exp($0) }
        case .log: return .unary { Foundation.log($0) }
        case .log1p: return .unary { Foundation.log1p($0) }
        case .expm1: return .unary { Foundation.expm1($0) }
        case .sqrt: return .unary { $0.squareRoot() }
        case .abs: return .unary { $0.magnitude }
        case .sign: return .unary(sign)
        case .tanh: return .unary { Foundation.tanh($0) }
        case .sigmoid: return .unary(sigmoid)
        case .softplus: return .unary(softplus)
        case .relu: return .unary { $0.isNaN ? $0 : ($0 > 0 ? $0 : 0) }
        case .erf: return .unary { Foundation.erf($0) }
        case .logicalNot: return .unary { $0 == 0 ? 1 : 0 }
        case .cast: return .unary { $0 }
        case .add: return .binary(+)
        case .sub: return .binary(-)
        case .mul: return .binary(*)
        case .div: return .binary(/)
        case .pow: return .binary { Foundation.pow($0, $1) }
        case .maximum: return .binary(maximum)
        case .minimum: return .binary(minimum)
        case .eq: return .binary { truth($0 == $1) }
        case .neq: return .binary { truth($0 != $1) }
        case .lt: return .binary { truth($0 < $1) }
        case .le: return .binary { truth($0 <= $1) }
        case .gt: return .binary { truth($0 > $1) }
        case .ge: return .binary { truth($0 >= $1) }
        case .logicalAnd: return .binary { truth($0 != 0 && $1 != 0) }
        case .logicalOr: return .binary { truth($0 != 0 || $1 != 0) }
        case .select: return .ternary { $0 != 0 ? $1 : $2 }
        case .clip: return .ternary { minimum(maximum($0, $1), $2) }
        }
    }

    /// The Int64-lane function of `op`; float-only math goes through Double and truncates.
    package static func int64(_ op: ScalarOp) -> LaneFunction<Int64> {
        switch op {
        case .neg: return .unary { 0 &- $0 }
        case .abs: return .unary { $0 < 0 ? 0 &- $0 : $0 }
        case .sign: return .unary { $0.signum() }
        case .relu: return .unary { Swift.max($0, 0) }
        case .logicalNot: return .unary { $0 == 0 ? 1 : 0 }
        case .cast: return .unary { $0 }
        case .exp, .log, .log1p, .expm1, .sqrt, .tanh, .sigmoid, .softplus, .erf:
            guard case .unary(let f) = double(op) else { preconditionFailure("\(op.name) is unary") }
            return .unary { truncatingInt64(f(Double($0))) }
        case .add: return .binary(&+)
        case .sub: return .binary(&-)
        case .mul: return .binary(&*)
        case .div: return .binary(floorDivide)
        case .pow: return .binary(integerPower)
        case .maximum: return .binary { Swift.max($0, $1) }
        case .minimum: return .binary { Swift.min($0, $1) }
        case .eq: return .binary { $0 == $1 ? 1 : 0 }
        case .neq: return .binary { $0 != $1 ? 1 : 0 }
        case .lt: return .binary { $0 < $1 ? 1 : 0 }
        case .le: return .binary { $0 <= $1 ? 1 : 0 }
        case .gt: return .binary { $0 > $1 ? 1 : 0 }
        case .ge: return .binary { $0 >= $1 ? 1 : 0 }
        case .logicalAnd: return .binary { $0 != 0 && $1 != 0 ? 1 : 0 }
        case .logicalOr: return .binary { $0 != 0 || $1 != 0 ? 1 : 0 }
        case .select: return .ternary { $0 != 0 ? $1 : $2 }
        case .clip: return .ternary { Swift.min(Swift.max($0, $1), $2) }
        }
    }

    // MARK: Double-lane helpers

    /// 1 for true, 0 for false.
    @inline(__always)
    static func truth(_ b: Bool) -> Double { b ? 1 : 0 }

    /// -1, 0 or 1; NaN stays NaN.
    static func sign(_ x: Double) -> Double {
        x > 0 ? 1 : (x < 0 ? -1 : (x == 0 ? 0 : x))
    }

    /// `1/(1+e^-x)` for x ≥ 0, `e^x/(1+e^x)` otherwise (no overflow either way).
    static func sigmoid(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }

    /// `max(x,0) + log1p(exp(-|x|))`.
    static func softplus(_ x: Double) -> Double {
        (x > 0 ? x : 0) + Foundation.log1p(Foundation.exp(-x.magnitude))
    }

    /// numpy's maximum: NaN if either operand is NaN.
    package static func maximum(_ a: Double, _ b: Double) -> Double {
        if a.isNaN { return a }
        if b.isNaN { return b }
        return a >= b ? a : b
    }

    /// numpy's minimum: NaN if either operand is NaN.
    package static func minimum(_ a: Double, _ b: Double) -> Double {
        if a.isNaN { return a }
        if b.isNaN { return b }
        return a <= b ? a : b
    }

    // MARK: Int64-lane helpers

    /// Python's floor division; division by zero gives 0 (numpy), Int64.min / -1 wraps.
    package static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        if b == 0 { return 0 }
        let (q, overflow) = a.dividedReportingOverflow(by: b)
        if overflow { return q }
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// `base^exponent` by repeated squaring with wrapping; a negative exponent gives 0 unless
    /// the base is ±1.
    package static func integerPower(_ base: Int64, _ exponent: Int64) -> Int64 {
        if exponent < 0 {
            if base == 1 { return 1 }
            if base == -1 { return exponent & 1 == 0 ? 1 : -1 }
            return 0
        }
        var result: Int64 = 1, b = base, e = exponent
        while e > 0 {
            if e & 1 == 1 { result = result &* b }
            b = b &* b
            e >>= 1
        }
        return result
    }
}
