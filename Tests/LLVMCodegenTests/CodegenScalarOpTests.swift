import Foundation
import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR
@testable import LLVMCodegen

/// Every ScalarOp over every dtype its rule accepts (casts to every dtype), compiled into one
/// module, against the loop-IR interpreter: bit-identical, except float32 transcendentals
/// (exp ... erf and pow), which must be within 4 ulp with NaN and infinities exact.
private enum OpTable {
    static let floats: [Double] = [0, -0.0, 1, -1, 0.5, -2.5, 3, .infinity, -.infinity, .nan, 1e30, -1e-30, 88.75,
                                   -100, 7, 1e-8, 2, -3, 0.1, 710, 1e-40, -87.5, 3e9, -1e19, 2.5, 4, 0.75, -0.5]
    static let ints: [Int64] = [0, 1, -1, 2, -7, 7, 3, 100, -100, 5, 2_147_483_647, -2_147_483_648, 255, 128, 9, -3,
                                1 << 40, Int64.max, Int64.min, 64, 31, 63, -2, 62]

    /// The special values of `dtype` (as Doubles for floats, Int64s otherwise).
    static func specials(_ dtype: DType) -> Tensor {
        switch dtype {
        case .float32, .float64: CG.t([floats.count], floats, dtype)
        case .int32, .int64, .uint8: CG.ints(ints, dtype)
        case .bool: CG.ints([0, 1], .bool)
        }
    }

    /// Operands for an op of `arity`: every pair of specials for binary ops, rotations for
    /// unary and ternary ones, then random values (floats in [-12, 12], ints in [-40, 40]).
    static func operands(_ dtypes: [DType]) -> [Tensor] {
        let lists = dtypes.map { specials($0) }
        let n = lists.map(\.count).max()!
        var columns: [[Int]]
        if dtypes.count == 2 {
            columns = [(0..<n * n).map { $0 / n }, (0..<n * n).map { $0 % n }]
        } else {
            columns = dtypes.indices.map { k in (0..<n).map { ($0 + 5 * k) % n } }
        }
        let extra = 48
        return dtypes.enumerated().map { k, dtype in
            let list = lists[k]
            let picked = columns[k].map { $0 % list.count }
            var tensor = Tensor(zeros: [picked.count + extra], dtype: dtype)
            for (j, index) in picked.enumerated() { copy(list, index, into: &tensor, at: j) }
            let random = CG.values(extra, seed: UInt64(17 + k), scale: dtype.isFloatingPoint ? 12 : 40)
            for j in 0..<extra {
                if dtype.isFloatingPoint { tensor.setDouble(random[j], at: picked.count + j) }
                else { tensor.setInt64(Int64(random[j].rounded(.down)), at: picked.count + j) }
            }
            return tensor
        }
    }

    static func copy(_ source: Tensor, _ index: Int, into tensor: inout Tensor, at j: Int) {
        if source.dtype.isFloatingPoint { tensor.setDouble(source.double(at: index), at: j) }
        else { tensor.setInt64(source.int64(at: index), at: j) }
    }

    /// The operand dtype lists `op` accepts.
    static func signatures(_ op: ScalarOp) -> [[DType]] {
        let all = DType.allCases, numeric: [DType] = [.float32, .float64, .int32, .int64, .uint8]
        switch op.dtypeRule {
        case .arithmetic: return numeric.map { Array(repeating: $0, count: op.arity) }
        case .float: return [.float32, .float64].map { Array(repeating: $0, count: op.arity) }
        case .comparison: return all.map { [$0, $0] }
        case .logical: return [Array(repeating: .bool, count: op.arity)]
        case .select: return all.map { [.bool, $0, $0] }
        case .clip: return all.map { [$0, $0, $0] }
        case .cast: return all.map { [$0] }
        }
    }

    static let cases: [(ScalarOp, [DType])] = {
        let ops = ScalarOp.allCases.filter { if case .cast = $0 { false } else { true } }
            + DType.allCases.map { ScalarOp.cast($0) }
        return ops.flatMap { op in signatures(op).map { (op, $0) } }
    }()

    static func resultType(_ op: ScalarOp, _ dtypes: [DType]) -> DType {
        let e = KExpr.op(op, dtypes.indices.map { CG.load($0, CG.val(0)) })
        let buffers = dtypes.enumerated().map { CG.read("a\($0.offset)", $0.element) }
        return e.dtype(values: [CG.v(0): .int64], buffers: buffers)
    }

    static func kernel(_ index: Int) -> Kernel {
        let (op, dtypes) = cases[index]
        return CG.elementwise("op\(index)_\(op.name)", op, dtypes, result: resultType(op, dtypes))
    }

    /// All table kernels in one LLVM module (compiled once for the suite).
    static let compiled: Result<LLVMKernelExecutor, any Error> = Result {
        try CG.llvm.compileKernels(cases.indices.map(kernel))
    }

    /// float32 results of these ops come from inline approximations (within 4 ulp).
    static func tolerance(_ op: ScalarOp, _ dtypes: [DType]) -> Double? {
        guard dtypes.last == .float32 else { return nil }
        switch op {
        case .exp, .log, .log1p, .expm1, .tanh, .sigmoid, .softplus, .erf, .pow: return 4
        case .neg, .sqrt, .abs, .sign, .relu, .logicalNot, .cast, .add, .sub, .mul, .div, .maximum, .minimum,
             .eq, .neq, .lt, .le, .gt, .ge, .logicalAnd, .logicalOr, .select, .clip: return nil
        }
    }
}

@Suite struct CodegenScalarOpTests {
    @Test(arguments: OpTable.cases.indices)
    func scalarOpMatchesInterpreter(_ index: Int) throws {
        let (op, dtypes) = OpTable.cases[index]
        let executor = try OpTable.compiled.get()
        let operands = OpTable.operands(dtypes)
        let n = operands[0].count
        let inputs = operands + [Tensor(zeros: [n], dtype: OpTable.resultType(op, dtypes))]
        let interpreted = try KernelInterpreter().compile([OpTable.kernel(index)])
        let expected = CG.run(interpreted, 0, inputs, [Int64(n)])
        let actual = CG.run(executor, index, inputs, [Int64(n)])
        #expect(actual.code == 0 && expected.code == 0)
        let problems = CG.mismatches(actual.tensors[dtypes.count], expected.tensors[dtypes.count],
                                     ulps: OpTable.tolerance(op, dtypes))
        let described = problems.map { line -> String in
            guard let k = Int(line.dropFirst().prefix { $0 != "]" }) else { return line }
            let values = operands.map { $0.dtype.isFloatingPoint ? "\($0.double(at: k))" : "\($0.int64(at: k))" }
            return line + " at " + values.joined(separator: ", ")
        }
        #expect(problems.isEmpty, "\(op.name)\(dtypes.map(\.shortName)): \(described)")
    }

    /// Spot checks of the reference semantics themselves (so a shared bug cannot hide).
    @Test func semanticsSpotChecks() throws {
        let kernels = [CG.elementwise("max", .maximum, [.float32, .float32], result: .float32),
                       CG.elementwise("sign", .sign, [.float64], result: .float64),
                       CG.elementwise("toi32", .cast(.int32), [.float32], result: .int32),
                       CG.elementwise("powi", .pow, [.int32, .int32], result: .int32),
                       CG.elementwise("ltu8", .lt, [.uint8, .uint8], result: .bool)]
        let executor = try CG.llvm.compileKernels(kernels)
        let maxima = CG.run(executor, 0, [CG.t([3], [1, .nan, 2]), CG.t([3], [.nan, 1, -0.0]), Tensor(zeros: [3])], [3])
        #expect(maxima.tensors[2].double(at: 0).isNaN && maxima.tensors[2].double(at: 1).isNaN)
        #expect(maxima.tensors[2].double(at: 2) == 2)
        let signInputs = [CG.t([4], [-0.0, .nan, -3, 0.5], .float64), Tensor(zeros: [4], dtype: .float64)]
        let signs = CG.run(executor, 1, signInputs, [4])
        #expect(signs.tensors[1].double(at: 0).bitPattern == 0 && signs.tensors[1].double(at: 1).isNaN)
        #expect(signs.tensors[1].double(at: 2) == -1 && signs.tensors[1].double(at: 3) == 1)
        let castInputs = [CG.t([5], [.nan, 3e9, -2.7, 1e20, 2.9]), Tensor(zeros: [5], dtype: .int32)]
        let casts = CG.run(executor, 2, castInputs, [5])
        #expect(casts.tensors[1].scalars == [0, Double(Int32(truncatingIfNeeded: Int64(3e9))), -2, 0, 2])
        let powers = CG.run(executor, 3, [CG.ints([3, -1, 2, 7], .int32), CG.ints([4, -3, -1, 0], .int32),
                                          Tensor(zeros: [4], dtype: .int32)], [4])
        #expect(powers.tensors[2].scalars == [81, -1, 0, 1])
        let less = CG.run(executor, 4, [CG.ints([1, 200], .uint8), CG.ints([200, 1], .uint8),
                                        Tensor(zeros: [2], dtype: .bool)], [2])
        #expect(less.tensors[2].scalars == [1, 0])
    }
}
