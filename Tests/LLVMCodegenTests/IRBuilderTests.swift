import CLLVM
import Foundation
import Testing
@testable import LLVMCodegen

/// IR helpers: intrinsics and loops with carried values, checked by running them.
@Suite struct IRBuilderTests {
    typealias Binary = @convention(c) (Float, Float) -> Float

    enum Intrinsic: String, CaseIterable {
        case floor, rint, fabs, minnum, maxnum, copysign, fmuladd, sqrt

        func emit(_ b: IRBuilder, _ x: IRValue, _ y: IRValue) -> IRValue {
            switch self {
            case .floor: b.floor(x)
            case .rint: b.rint(x)
            case .fabs: b.fabs(x)
            case .minnum: b.minnum(x, y)
            case .maxnum: b.maxnum(x, y)
            case .copysign: b.copysign(x, y)
            case .fmuladd: b.fmuladd(x, y, b.f32(0.25))
            case .sqrt: b.sqrt(x)
            }
        }

        func expected(_ x: Float, _ y: Float) -> Float {
            switch self {
            case .floor: x.rounded(.down)
            case .rint: x.rounded(.toNearestOrEven)
            case .fabs: Swift.abs(x)
            case .minnum: x.isNaN ? y : (y.isNaN ? x : Swift.min(x, y))
            case .maxnum: x.isNaN ? y : (y.isNaN ? x : Swift.max(x, y))
            case .copysign: Float(signOf: y, magnitudeOf: x)
            case .fmuladd: x * y + 0.25
            case .sqrt: x.squareRoot()
            }
        }
    }

    @Test(arguments: Intrinsic.allCases)
    func intrinsicsMatchSwift(_ intrinsic: Intrinsic) throws {
        let module = IRModule(name: intrinsic.rawValue)
        let b = module.builder
        let function = b.addFunction("f", returning: b.f32, parameters: [b.f32, b.f32])
        b.position(atEndOf: b.appendBlock(function, "entry"))
        b.return(intrinsic.emit(b, b.parameter(function, 0), b.parameter(function, 1)))
        let compiled = try JITCompiler().compile(module)
        let pairs: [(Float, Float)] = [(2.5, -1), (-2.5, 3), (3.5, .nan), (.nan, 2), (-0.0, 1), (7.25, 0.5)]
        try compiled.withFunction("f", as: Binary.self) { f in
            for (x, y) in pairs where !(intrinsic == .sqrt && x < 0) {
                let (got, want) = (f(x, y), intrinsic.expected(x, y))
                #expect(got.bitPattern == want.bitPattern || (got.isNaN && want.isNaN), "\(intrinsic)(\(x), \(y))")
            }
        }
    }

    typealias Triangle = @convention(c) (Int64) -> Int64

    /// `i64 tri(i64 n)`: sum of i for i in 3..<n, plus 100, via a loop-carried value.
    @Test func loopsCarryValuesAndHandleZeroTrips() throws {
        let module = IRModule(name: "triangle")
        let b = module.builder
        let function = b.addFunction("tri", returning: b.i64, parameters: [b.i64])
        b.position(atEndOf: b.appendBlock(function, "entry"))
        let result = b.emitLoop(from: b.i64(3), to: b.parameter(function, 0), carrying: [b.i64(100)]) { b, i, sum in
            [b.add(sum[0], i)]
        }
        b.return(result[0])
        #expect(module.irText.contains("loop.latch"))
        let compiled = try JITCompiler().compile(module, optimize: false)
        try compiled.withFunction("tri", as: Triangle.self) { tri in
            #expect(tri(0) == 100)
            #expect(tri(3) == 100)
            #expect(tri(10) == 100 + (3..<10).reduce(0, +))
        }
    }

    @Test func vectorizeHintIsASelfReferentialLoopID() throws {
        let ir = VectorizationTests.sumModule("hint", vectorize: true).irText
        #expect(ir.contains("!llvm.loop !0"))
        #expect(ir.contains("!0 = distinct !{!0, !1}"))
        #expect(ir.contains("!1 = !{!\"llvm.loop.vectorize.enable\", i1 true}"))
    }

    @Test func kernelPointersCarryAliasAttributes() throws {
        let module = IRModule(name: "attrs")
        module.addUnaryMapKernel("k", .exp)
        let ir = module.irText
        #expect(ir.contains("float* noalias nocapture writeonly %0"))
        #expect(ir.contains("float* noalias nocapture readonly %1"))
    }
}
