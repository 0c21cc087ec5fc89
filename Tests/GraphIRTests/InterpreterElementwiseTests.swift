import Foundation
import Testing
import TensorRuntime
@testable import GraphIR

/// Points where unary float math is checked: [-2, -0.5, 0, 0.5, 3].
private let points: [Double] = [-2, -0.5, 0, 0.5, 3]
private let x64 = IT.vec(points)

/// Unary float64 math against float64 references (Python's math module), plus special values.
private let unaryCases: [OpCase] = [
    OpCase("neg", .elementwise(.neg), [IT.vec([-2, 0, 1.5, .nan, .infinity])], IT.vec([2, 0, -1.5, .nan, -.infinity])),
    OpCase("exp", .elementwise(.exp), [x64],
           IT.vec([0.1353352832366127, 0.6065306597126334, 1, 1.6487212707001282, 20.085536923187668]),
           tolerance: 1e-15),
    OpCase("exp specials", .elementwise(.exp), [IT.vec([-.infinity, .infinity, .nan, 800])],
           IT.vec([0, .infinity, .nan, .infinity])),
    OpCase("log", .elementwise(.log), [IT.vec([0.5, 3, 0, -2, .infinity, .nan])],
           IT.vec([-0.6931471805599453, 1.0986122886681098, -.infinity, .nan, .infinity, .nan]), tolerance: 1e-15),
    OpCase("log1p", .elementwise(.log1p), [IT.vec([-2, -0.5, 0, 0.5, 3, -1])],
           IT.vec([.nan, -0.6931471805599453, 0, 0.4054651081081644, 1.3862943611198906, -.infinity]),
           tolerance: 1e-15),
    OpCase("expm1", .elementwise(.expm1), [x64],
           IT.vec([-0.8646647167633873, -0.3934693402873666, 0, 0.6487212707001282, 19.085536923187668]),
           tolerance: 1e-15),
    OpCase("expm1 tiny", .elementwise(.expm1), [IT.vec([1e-20])], IT.vec([1e-20])),
    OpCase("sqrt", .elementwise(.sqrt), [IT.vec([0.5, 3, 0, -1, .infinity])],
           IT.vec([0.7071067811865476, 1.7320508075688772, 0, .nan, .infinity]), tolerance: 1e-15),
    OpCase("abs", .elementwise(.abs), [IT.vec([-2, 0, 3, -.infinity, .nan])], IT.vec([2, 0, 3, .infinity, .nan])),
    OpCase("sign", .elementwise(.sign), [IT.vec([-2, -0.0, 0, 3, .nan, -.infinity])], IT.vec([-1, 0, 0, 1, .nan, -1])),
    OpCase("tanh", .elementwise(.tanh), [IT.vec(points + [.infinity])],
           IT.vec([-0.9640275800758169, -0.46211715726000974, 0, 0.46211715726000974, 0.9950547536867305, 1]),
           tolerance: 1e-15),
    OpCase("sigmoid", .elementwise(.sigmoid), [x64],
           IT.vec([0.11920292202211755, 0.37754066879814546, 0.5, 0.6224593312018546, 0.9525741268224334]),
           tolerance: 1e-15),
    OpCase("sigmoid saturated", .elementwise(.sigmoid), [IT.vec([-800, 800, -30, -.infinity, .infinity, .nan])],
           IT.vec([0, 1, 9.3576229688393e-14, 0, 1, .nan]), tolerance: 1e-14),
    OpCase("softplus", .elementwise(.softplus), [x64],
           IT.vec([0.1269280110429725, 0.4740769841801067, 0.6931471805599453, 0.9740769841801067, 3.048587351573742]),
           tolerance: 1e-15),
    OpCase("softplus saturated", .elementwise(.softplus), [IT.vec([800, -800, -30, .infinity, -.infinity, .nan])],
           IT.vec([800, 0, 9.357622968839737e-14, .infinity, 0, .nan]), tolerance: 1e-14),
    OpCase("relu", .elementwise(.relu), [IT.vec([-2, 0, 3, .nan, -.infinity])], IT.vec([0, 0, 3, .nan, 0])),
    OpCase("erf", .elementwise(.erf), [x64],
           IT.vec([-0.9953222650189527, -0.5204998778130465, 0, 0.5204998778130465, 0.9999779095030014]),
           tolerance: 1e-15),
    OpCase("not", .elementwise(.logicalNot), [IT.vec([1, 0], .bool)], IT.vec([0, 1], .bool)),
    // float32 goes through Double and rounds once.
    OpCase("exp f32", .elementwise(.exp), [IT.vec([0, 1], .float32)], IT.vec([1, 2.7182817459106445], .float32)),
    OpCase("sigmoid f32 saturated", .elementwise(.sigmoid), [IT.vec([-200, 200], .float32)],
           IT.vec([0, 1], .float32)),
    // Integer lane.
    OpCase("neg i32 wraps", .elementwise(.neg), [IT.vec([-2147483648, 5], .int32)],
           IT.vec([-2147483648, -5], .int32)),
    OpCase("abs i64", .elementwise(.abs), [IT.vec([-3, 3, 0], .int64)], IT.vec([3, 3, 0], .int64)),
    OpCase("sign i64", .elementwise(.sign), [IT.vec([-5, 0, 7], .int64)], IT.vec([-1, 0, 1], .int64)),
    OpCase("relu i32", .elementwise(.relu), [IT.vec([-2, 3], .int32)], IT.vec([0, 3], .int32)),
    OpCase("neg u8 wraps", .elementwise(.neg), [IT.vec([1, 0], .uint8)], IT.vec([255, 0], .uint8)),
]

/// Binary and ternary ops, comparisons and casts in both lanes.
private let binaryCases: [OpCase] = [
    OpCase("add f32", .elementwise(.add), [IT.vec([1.5, -2, 0.25], .float32), IT.vec([0.5, 4, -0.125], .float32)],
           IT.vec([2, 2, 0.125], .float32)),
    OpCase("sub f32", .elementwise(.sub), [IT.vec([1.5, -2], .float32), IT.vec([0.5, 4], .float32)],
           IT.vec([1, -6], .float32)),
    OpCase("mul f32", .elementwise(.mul), [IT.vec([1.5, -2, .infinity], .float32), IT.vec([4, 0.5, 0], .float32)],
           IT.vec([6, -1, .nan], .float32)),
    OpCase("div f32 by zero", .elementwise(.div), [IT.vec([1, -1, 0, 3], .float32), IT.vec([0, 0, 0, 4], .float32)],
           IT.vec([.infinity, -.infinity, .nan, 0.75], .float32)),
    OpCase("div f32 rounds", .elementwise(.div), [IT.vec([1], .float32), IT.vec([3], .float32)],
           IT.vec([Double(Float(1) / Float(3))], .float32)),
    OpCase("add f64", .elementwise(.add), [IT.vec([0.1, .infinity]), IT.vec([0.2, -.infinity])],
           IT.vec([0.30000000000000004, .nan])),
    OpCase("pow f64", .elementwise(.pow), [IT.vec([2, -8, 4, 0, .nan]), IT.vec([3, 1.0 / 3, -0.5, 0, 0])],
           IT.vec([8, .nan, 0.5, 1, 1])),
    OpCase("pow f32", .elementwise(.pow), [IT.vec([2, 9], .float32), IT.vec([10, 0.5], .float32)],
           IT.vec([1024, 3], .float32)),
    OpCase("maximum NaN", .elementwise(.maximum), [IT.vec([1, .nan, 3, -.infinity]), IT.vec([2, 0, .nan, -5])],
           IT.vec([2, .nan, .nan, -5])),
    OpCase("minimum NaN", .elementwise(.minimum), [IT.vec([1, .nan, 3, -.infinity]), IT.vec([2, 0, .nan, -5])],
           IT.vec([1, .nan, .nan, -.infinity])),
    OpCase("maximum f32", .elementwise(.maximum), [IT.vec([1, .nan], .float32), IT.vec([2, 0], .float32)],
           IT.vec([2, .nan], .float32)),
    OpCase("eq", .elementwise(.eq), [IT.vec([1, .nan, 2]), IT.vec([1, .nan, 3])], IT.vec([1, 0, 0], .bool)),
    OpCase("neq", .elementwise(.neq), [IT.vec([1, .nan, 2]), IT.vec([1, .nan, 3])], IT.vec([0, 1, 1], .bool)),
    OpCase("lt", .elementwise(.lt), [IT.vec([1, .nan, 2, 1]), IT.vec([2, 1, 2, .nan])], IT.vec([1, 0, 0, 0], .bool)),
    OpCase("le", .elementwise(.le), [IT.vec([1, .nan, 2, 1]), IT.vec([2, 1, 2, .nan])], IT.vec([1, 0, 1, 0], .bool)),
    OpCase("gt", .elementwise(.gt), [IT.vec([1, .nan, 3], .float32), IT.vec([2, 1, 2], .float32)],
           IT.vec([0, 0, 1], .bool)),
    OpCase("ge", .elementwise(.ge), [IT.vec([1, .nan, 2]), IT.vec([1, .nan, 3])], IT.vec([1, 0, 0], .bool)),
    OpCase("lt i32", .elementwise(.lt), [IT.vec([-1, 5], .int32), IT.vec([0, 5], .int32)], IT.vec([1, 0], .bool)),
    OpCase("and", .elementwise(.logicalAnd), [IT.vec([1, 1, 0, 0], .bool), IT.vec([1, 0, 1, 0], .bool)],
           IT.vec([1, 0, 0, 0], .bool)),
    OpCase("or", .elementwise(.logicalOr), [IT.vec([1, 1, 0, 0], .bool), IT.vec([1, 0, 1, 0], .bool)],
           IT.vec([1, 1, 1, 0], .bool)),
    OpCase("select f64", .elementwise(.select), [IT.vec([1, 0, 1], .bool), IT.vec([1, 2, .nan]), IT.vec([10, 20, 30])],
           IT.vec([1, 20, .nan])),
    OpCase("select i32", .elementwise(.select),
           [IT.vec([0, 1], .bool), IT.vec([1, 2], .int32), IT.vec([-1, -2], .int32)], IT.vec([-1, 2], .int32)),
    OpCase("clip f64", .elementwise(.clip), [IT.vec([-5, 0.5, 5, .nan]), IT.vec([0, 0, 0, 0]), IT.vec([1, 1, 1, 1])],
           IT.vec([0, 0.5, 1, .nan])),
    OpCase("clip f32", .elementwise(.clip), [IT.vec([-5, 0.5], .float32), IT.vec([0, 0], .float32),
                                             IT.vec([1, 1], .float32)], IT.vec([0, 0.5], .float32)),
    OpCase("clip i64", .elementwise(.clip), [IT.vec([-5, 2, 9], .int64), IT.vec([0, 0, 0], .int64),
                                             IT.vec([4, 4, 4], .int64)], IT.vec([0, 2, 4], .int64)),
    OpCase("add i32 wraps", .elementwise(.add), [IT.vec([2147483647, -3], .int32), IT.vec([1, 1], .int32)],
           IT.vec([-2147483648, -2], .int32)),
    OpCase("sub u8 wraps", .elementwise(.sub), [IT.vec([0, 200], .uint8), IT.vec([1, 100], .uint8)],
           IT.vec([255, 100], .uint8)),
    OpCase("mul i64 wraps", .elementwise(.mul), [IT.vec([4611686018427387904, -3], .int64), IT.vec([4, 7], .int64)],
           IT.vec([0, -21], .int64)),
    OpCase("pow i64", .elementwise(.pow), [IT.vec([2, 3, -2, 2, 1, -1, -1, 0, 5], .int64),
                                           IT.vec([10, 0, 3, -1, -5, -3, -2, 0, 1], .int64)],
           IT.vec([1024, 1, -8, 0, 1, -1, 1, 1, 5], .int64)),
    OpCase("pow i32 wraps", .elementwise(.pow), [IT.vec([2, 3], .int32), IT.vec([31, 2], .int32)],
           IT.vec([-2147483648, 9], .int32)),
    OpCase("maximum i32", .elementwise(.maximum), [IT.vec([1, -7], .int32), IT.vec([-1, 3], .int32)],
           IT.vec([1, 3], .int32)),
    OpCase("minimum u8", .elementwise(.minimum), [IT.vec([1, 250], .uint8), IT.vec([3, 7], .uint8)],
           IT.vec([1, 7], .uint8)),
]

/// Casts follow TensorScalar's conversions: float→int truncates (NaN→0) and wraps; →bool is != 0.
private let castCases: [OpCase] = [
    OpCase("f64→i32", .elementwise(.cast(.int32)), [IT.vec([-1.7, 2.9, .nan, 300.5, .infinity])],
           IT.vec([-1, 2, 0, 300, 0], .int32)),
    OpCase("f64→u8", .elementwise(.cast(.uint8)), [IT.vec([-1.7, 2.9, .nan, 300.5])], IT.vec([255, 2, 0, 44], .uint8)),
    OpCase("f64→bool", .elementwise(.cast(.bool)), [IT.vec([-1.7, 0, .nan, 0.25])], IT.vec([1, 0, 1, 1], .bool)),
    OpCase("f64→f32 rounds", .elementwise(.cast(.float32)), [IT.vec([0.1, 1e40])],
           IT.vec([Double(Float(0.1)), .infinity], .float32)),
    OpCase("f32→f64", .elementwise(.cast(.float64)), [IT.vec([0.1], .float32)], IT.vec([Double(Float(0.1))])),
    OpCase("i32→f32", .elementwise(.cast(.float32)), [IT.vec([3, -4], .int32)], IT.vec([3, -4], .float32)),
    OpCase("i64→i32 wraps", .elementwise(.cast(.int32)), [IT.vec([4294967301, -1], .int64)], IT.vec([5, -1], .int32)),
    OpCase("bool→i64", .elementwise(.cast(.int64)), [IT.vec([1, 0], .bool)], IT.vec([1, 0], .int64)),
    OpCase("i32→bool", .elementwise(.cast(.bool)), [IT.vec([-2, 0], .int32)], IT.vec([1, 0], .bool)),
    OpCase("u8→f64", .elementwise(.cast(.float64)), [IT.vec([255], .uint8)], IT.vec([255])),
]

@Suite struct InterpreterElementwiseTests {
    @Test(arguments: unaryCases) func unary(_ c: OpCase) throws { try c.check() }
    @Test(arguments: binaryCases) func binary(_ c: OpCase) throws { try c.check() }
    @Test(arguments: castCases) func cast(_ c: OpCase) throws { try c.check() }

    @Test func emptyOperands() throws {
        let empty = IT.t([0, 3], [], .float32)
        let sum = try IT.eval(.elementwise(.add), [empty, empty])
        #expect(sum.shape == [0, 3] && sum.dtype == .float32)
        let e = try IT.eval(.elementwise(.exp), [IT.t([2, 0], [])])
        #expect(e.shape == [2, 0])
    }

    @Test func float32FastPathMatchesDoubleReference() throws {
        let a: [Double] = [0.1, -3.7, 1e-3, 12345.678], b: [Double] = [7.3, 0.2, -9, 1e-4]
        for op in [ScalarOp.add, .sub, .mul, .div, .pow, .maximum] {
            let result = try IT.eval(.elementwise(op), [IT.vec(a, .float32), IT.vec(b, .float32)])
            guard case .binary(let f) = ScalarMath.double(op) else { Issue.record("\(op.name)"); continue }
            let reference = zip(a, b).map { Double(Float(f(Double(Float($0)), Double(Float($1))))) }
            #expect(IT.matches(result, IT.vec(reference, .float32)), "\(op.name): \(result.scalars) vs \(reference)")
        }
    }

    @Test func runtimeSizeMismatchOfSymbolicDims() throws {
        let x = IT.input("x", .float32, [IT.sym("n")]), y = IT.input("y", .float32, [IT.sym("m")])
        let sum = try IT.node(.elementwise(.add), [x, y])
        IT.expectError(.shape, ["add", "[3]", "[4]"]) {
            _ = try IT.run([x, y], [sum], [IT.vec([1, 2, 3], .float32), IT.vec([1, 2, 3, 4], .float32)])
        }
        let ok = try IT.run([x, y], [sum], [IT.vec([1, 2], .float32), IT.vec([3, 4], .float32)])
        #expect(ok[0] == IT.vec([4, 6], .float32))
    }

    @Test func broadcast() throws {
        let row = try IT.eval(.broadcast([2, 3]), [IT.vec([1, 2, 3])])
        #expect(row == IT.t([2, 3], [1, 2, 3, 1, 2, 3]))
        let column = try IT.eval(.broadcast([2, 3]), [IT.t([2, 1], [7, 8], .int32)])
        #expect(column == IT.t([2, 3], [7, 7, 7, 8, 8, 8], .int32))
        let scalar = try IT.eval(.broadcast([2, 2]), [IT.s(5, .bool)])
        #expect(scalar == IT.t([2, 2], [1, 1, 1, 1], .bool))
        let empty = try IT.eval(.broadcast([0, 3]), [IT.vec([1, 2, 3], .float32)])
        #expect(empty.shape == [0, 3])
    }

    @Test func broadcastToSymbolicTarget() throws {
        let n = IT.sym("n")
        let x = IT.input("x", .float32, [n, 2]), b = IT.input("b", .float32, [2])
        let sum = try IT.node(.elementwise(.add), [x, try IT.node(.broadcast([n, 2]), [b])])
        let out = try IT.run([x, b], [sum], [IT.t([3, 2], [0, 0, 1, 1, 2, 2], .float32), IT.vec([10, 20], .float32)])
        #expect(out[0] == IT.t([3, 2], [10, 20, 11, 21, 12, 22], .float32))
    }
}
