import Foundation
import Hypatia
import HypatiaTestSupport

/// The op conformance table: one row per user-visible op (DESIGN.md §8).
enum OpTable {
    static let all: [OpCase] = unary + binary + logical + reductions + linalg + shape + indexing + nn

    static func unaryCase(_ name: String, in range: ClosedRange<Double> = -2...2, differentiable: Bool = true,
                          _ build: @escaping @Sendable (Variable) -> Variable,
                          _ ref: @escaping @Sendable (Double) -> Double) -> OpCase {
        OpCase(name: name, inputs: [.float([3, 4], range)], build: { build($0[0]) },
               reference: { $0[0].map(ref) }, differentiable: differentiable)
    }

    static let unary: [OpCase] = [
        unaryCase("neg", { -$0 }, { -$0 }),
        unaryCase("exp", { exp($0) }, { Foundation.exp($0) }),
        unaryCase("log", in: 0.1...3, { log($0) }, { Foundation.log($0) }),
        unaryCase("log1p", in: -0.5...3, { log1p($0) }, { Foundation.log1p($0) }),
        unaryCase("expm1", { expm1($0) }, { Foundation.expm1($0) }),
        unaryCase("sqrt", in: 0.1...4, { sqrt($0) }, { Foundation.sqrt($0) }),
        unaryCase("abs", { abs($0) }, { Swift.abs($0) }),
        unaryCase("sign", differentiable: false, { sign($0) }, { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }),
        unaryCase("tanh", { tanh($0) }, { Foundation.tanh($0) }),
        unaryCase("sigmoid", in: -6...6, { sigmoid($0) }, { 1 / (1 + Foundation.exp(-$0)) }),
        unaryCase("softplus", in: -6...6, { softplus($0) }, { Foundation.log1p(Foundation.exp($0)) }),
        unaryCase("relu", { relu($0) }, { Swift.max($0, 0) }),
        unaryCase("erf", { erf($0) }, { Foundation.erf($0) }),
        unaryCase("square via pow 2", { pow($0, 2) }, { $0 * $0 }),
        unaryCase("scalar affine", { $0 * 3 - 1.5 }, { $0 * 3 - 1.5 }),
        unaryCase("reciprocal", in: 0.5...2, { 1 / $0 }, { 1 / $0 }),
        unaryCase("clip", { clip($0, -0.5, 0.5) }, { Swift.min(Swift.max($0, -0.5), 0.5) }),
        unaryCase("cast to int32", differentiable: false, { cast($0 * 3, to: .int32) }, { ($0 * 3).rounded(.towardZero) }),
    ]

    static func binaryCase(_ name: String, shapes: ([Int], [Int]) = ([3, 4], [3, 4]),
                           ranges: (ClosedRange<Double>, ClosedRange<Double>) = (-2...2, -2...2),
                           differentiable: Bool = true,
                           _ build: @escaping @Sendable (Variable, Variable) -> Variable,
                           _ ref: @escaping @Sendable (Double, Double) -> Double) -> OpCase {
        OpCase(name: name, inputs: [.float(shapes.0, ranges.0), .float(shapes.1, ranges.1)],
               build: { build($0[0], $0[1]) },
               reference: { RefArray.broadcasting($0) { ref($0[0], $0[1]) } }, differentiable: differentiable)
    }

    static let binary: [OpCase] = [
        binaryCase("add", { $0 + $1 }, { $0 + $1 }),
        binaryCase("add broadcast row", shapes: ([3, 4], [4]), { $0 + $1 }, { $0 + $1 }),
        binaryCase("add broadcast outer", shapes: ([3, 1], [1, 4]), { $0 + $1 }, { $0 + $1 }),
        binaryCase("sub", { $0 - $1 }, { $0 - $1 }),
        binaryCase("sub broadcast scalar tensor", shapes: ([3, 4], []), { $0 - $1 }, { $0 - $1 }),
        binaryCase("mul", { $0 * $1 }, { $0 * $1 }),
        binaryCase("mul broadcast column", shapes: ([3, 4], [3, 1]), { $0 * $1 }, { $0 * $1 }),
        binaryCase("div", shapes: ([3, 4], [3, 4]), ranges: (-2...2, 0.5...2), { $0 / $1 }, { $0 / $1 }),
        binaryCase("pow", shapes: ([3, 4], [3, 4]), ranges: (0.5...2, -2...2), { pow($0, $1) }, { Foundation.pow($0, $1) }),
        binaryCase("maximum", { maximum($0, $1) }, { Swift.max($0, $1) }),
        binaryCase("minimum", { minimum($0, $1) }, { Swift.min($0, $1) }),
        binaryCase("eq", shapes: ([3, 4], [3, 4]), ranges: (0...2, 0...2), differentiable: false,
                   { eq(floorV($0), floorV($1)) }, { $0.rounded(.down) == $1.rounded(.down) ? 1 : 0 }),
        binaryCase("neq", shapes: ([3, 4], [3, 4]), ranges: (0...2, 0...2), differentiable: false,
                   { neq(floorV($0), floorV($1)) }, { $0.rounded(.down) != $1.rounded(.down) ? 1 : 0 }),
        binaryCase("lt", differentiable: false, { lt($0, $1) }, { $0 < $1 ? 1 : 0 }),
        binaryCase("le", differentiable: false, { le($0, $1) }, { $0 <= $1 ? 1 : 0 }),
        binaryCase("gt", differentiable: false, { gt($0, $1) }, { $0 > $1 ? 1 : 0 }),
        binaryCase("ge", differentiable: false, { ge($0, $1) }, { $0 >= $1 ? 1 : 0 }),
        binaryCase("select", { select(gt($0, 0), $0 * $1, $1) }, { $0 > 0 ? $0 * $1 : $1 }),
        binaryCase("clip by tensors", shapes: ([3, 4], [3, 4]), ranges: (-2...2, 0.2...1), { clip($0, -$1, $1) },
                   { Swift.min(Swift.max($0, -$1), $1) }),
    ]

    /// floor(x) for non-negative x, built from a cast (there is no floor op).
    static func floorV(_ x: Variable) -> Variable { cast(cast(x, to: .int32), to: x.dtype) }

    static let logical: [OpCase] = [
        binaryCase("and", differentiable: false, { logicalAnd(gt($0, 0), lt($1, 0)) }, { $0 > 0 && $1 < 0 ? 1 : 0 }),
        binaryCase("or", differentiable: false, { logicalOr(gt($0, 0), lt($1, 0)) }, { $0 > 0 || $1 < 0 ? 1 : 0 }),
        unaryCase("not", differentiable: false, { logicalNot(gt($0, 0)) }, { $0 > 0 ? 0 : 1 }),
    ]
}
