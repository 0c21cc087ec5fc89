import Testing
import TensorRuntime
@testable import GraphIR
@testable import KernelIR

/// Kernels over `%x: f32 read, %y: f64 read, %out: f32 write; n` with one mistake each.
private enum VT {
    static let buffers = [KernelBuffer(name: "x", dtype: .float32, access: .read),
                          KernelBuffer(name: "y", dtype: .float64, access: .read),
                          KernelBuffer(name: "out", dtype: .float32, access: .write)]

    static func kernel(_ body: [KStmt], buffers: [KernelBuffer] = buffers, params: [String] = ["n"]) -> Kernel {
        Kernel(name: "bad", buffers: buffers, paramNames: params, body: body)
    }

    /// `for %v0 in 0..<n { body }`.
    static func loop(_ body: [KStmt], carried: [CarriedValue] = [], upper: KExpr = .param(0),
                     parallel: Bool = false) -> KStmt {
        .loop(Loop(variable: KT.v(0), upper: upper, carried: carried, body: body, parallel: parallel))
    }

    static let x = KT.load(0, KT.val(0)), y = KT.load(1, KT.val(0))
    static let f64Sum = CarriedValue(id: KT.v(2), dtype: .float64, initial: .constant(0, .float64))
    static let i64Count = CarriedValue(id: KT.v(3), dtype: .int64, initial: .intConstant(0))

    /// (expected problem text, kernel with that one problem).
    static let rows: [(String, Kernel)] = [
        ("%v9 is used before definition", kernel([loop([.store(buffer: 2, index: KT.val(0), value: KT.val(9))])])),
        ("%v1 is used out of scope", kernel([
            loop([.assign(KT.v(1), .float32, x)]),
            .store(buffer: 2, index: .intConstant(0), value: KT.val(1))])),
        ("%v1 is defined twice", kernel([loop([.assign(KT.v(1), .float32, x), .assign(KT.v(1), .float32, x)])])),
        ("add needs operands of one dtype, got (f32, f64)", kernel([loop([.assign(KT.v(1), .float32, KT.op(.add, x, y))])])),
        ("value gt(load %x[%v0], load %x[%v0]) is bool, expected f32",
         kernel([loop([.assign(KT.v(1), .float32, KT.op(.gt, x, x))])])),
        ("select needs (bool, T, T), got (f32, f32, f32)", kernel([loop([.assign(KT.v(1), .float32, KT.op(.select, x, x, x))])])),
        ("exp needs float operands, got (i64)", kernel([loop([.assign(KT.v(1), .int64, KT.op(.exp, KT.val(0)))])])),
        ("add does not take bool operands", kernel([loop([
            .assign(KT.v(1), .bool, KT.op(.lt, x, x)), .assign(KT.v(2), .bool, KT.op(.add, KT.val(1), KT.val(1)))])])),
        ("and needs bool operands, got (f32, f32)", kernel([loop([.assign(KT.v(1), .bool, KT.op(.logicalAnd, x, x))])])),
        ("add takes 2 operands, got 1", kernel([loop([.assign(KT.v(1), .float32, KT.op(.add, x))])])),
        ("index 1.0 is f32, expected i64", kernel([loop([.assign(KT.v(1), .float32, KT.load(0, KT.f32(1)))])])),
        ("index operand load %x[%v0] is f32, expected i64",
         kernel([loop([.assign(KT.v(1), .int64, KT.add(KT.val(0), x))])])),
        ("buffer 5 does not exist (3 buffers)", kernel([loop([.assign(KT.v(1), .float32, KT.load(5, KT.val(0)))])])),
        ("store to read-only buffer %x", kernel([loop([.store(buffer: 0, index: KT.val(0), value: x)])])),
        ("load from write-only buffer %out", kernel([loop([.assign(KT.v(1), .float32, KT.load(2, KT.val(0)))])])),
        ("stored value load %y[%v0] is f64, expected f32", kernel([loop([.store(buffer: 2, index: KT.val(0), value: y)])])),
        ("upper bound 4.0 is f32, expected i64", kernel([loop([], upper: KT.f32(4))])),
        ("does not end with yield", kernel([loop([.assign(KT.v(1), .float32, x)], carried: [f64Sum])])),
        ("yields 1 values for 2 carried values", kernel([loop([.yield([KT.val(2)])], carried: [f64Sum, i64Count])])),
        ("yield for %v2 load %x[%v0] is f32, expected f64", kernel([loop([.yield([x])], carried: [f64Sum])])),
        ("yield outside the last statement", kernel([loop([.yield([KT.val(2)]), .yield([KT.val(2)])], carried: [f64Sum])])),
        ("yield outside the last statement", kernel([loop([.yield([KT.val(0)])])])),
        ("param 3 does not exist (1 params)", kernel([loop([], upper: .param(3))])),
        ("parallel loop is not outermost", kernel([loop([
            .loop(Loop(variable: KT.v(1), upper: .param(0), body: [], parallel: true))])])),
        ("parallel loop carries values", kernel([loop([.yield([KT.val(2)])], carried: [f64Sum], parallel: true)])),
        ("check code 0 means success", kernel([loop([.checkIndex(KT.val(0), bound: .param(0), code: 0)])])),
        ("bound 3.0_f64 is f64, expected i64",
         kernel([loop([.checkIndex(KT.val(0), bound: .constant(3, .float64), code: 1)])])),
        ("buffer name %x is used twice", kernel([], buffers: [buffers[0], buffers[0]])),
        ("param name n is used twice", kernel([], params: ["n", "n"])),
        ("constant 0.5 of dtype i32 is not a whole number", kernel([loop([
            .assign(KT.v(1), .int32, .constant(0.5, .int32))])])),
        ("initial value of %v2 0.0 is f32, expected f64", kernel([loop([.yield([KT.val(2)])],
            carried: [CarriedValue(id: KT.v(2), dtype: .float64, initial: KT.f32(0))])])),
    ]
}

@Suite struct LoopIRVerifierTests {
    @Test func handWrittenKernelsVerify() {
        for kernel in [KT.elementwise, KT.broadcast, KT.rowSum, KT.argmax, KT.gather] {
            #expect(verifyKernel(kernel) == [], "\(kernel.name)")
        }
    }

    @Test(arguments: VT.rows)
    func catchesProblem(_ expected: String, _ kernel: Kernel) {
        let problems = verifyKernel(kernel)
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.contains(expected) == true, "\(problems)")
        #expect(problems.first?.hasPrefix("@bad: ") == true)
    }

    @Test func interpreterRefusesInvalidKernels() {
        #expect(throws: KernelIRError.self) { try KernelInterpreter().compile([VT.rows[0].1]) }
    }
}
