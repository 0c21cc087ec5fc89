import CLLVM
import Foundation
import Testing
@testable import LLVMCodegen

/// The ORC JIT wrapper: compiling, symbol lookup, errors, resource release, timings.
@Suite struct JITCompilerTests {
    typealias Scale = @convention(c) (Float, Float) -> Float

    /// Builds `float name(float x, float y) { return x * y + 1 }`.
    static func scaleModule(_ name: String) -> IRModule {
        let module = IRModule(name: name)
        let b = module.builder
        let function = b.addFunction(name, returning: b.f32, parameters: [b.f32, b.f32])
        b.position(atEndOf: b.appendBlock(function, "entry"))
        b.return(b.fadd(b.fmul(b.parameter(function, 0), b.parameter(function, 1)), b.f32(1)))
        return module
    }

    @Test func compilesRunsAndReportsStages() throws {
        let jit = try JITCompiler()
        let compiled = try jit.compile(Self.scaleModule("scale"), optimize: true, captureIR: true)
        #expect(compiled.symbols == ["scale"])
        try compiled.withFunction("scale", as: Scale.self) { scale in
            #expect(scale(3, 4) == 13)
            #expect(scale(-0.5, 2) == 0)
        }
        let timings = compiled.timings
        #expect(timings.codegen > .zero && timings.verify > .zero && timings.optimize > .zero)
        #expect(timings.total == timings.build + timings.verify + timings.optimize + timings.codegen)
        #expect(compiled.optimizedIR?.contains("define float @scale(float") == true)
    }

    @Test func unoptimizedCompileSkipsThePipeline() throws {
        let compiled = try JITCompiler().compile(Self.scaleModule("scale0"), optimize: false)
        #expect(compiled.timings.optimize == .zero)
        #expect(compiled.optimizedIR == nil)
        #expect(try compiled.withFunction("scale0", as: Scale.self) { $0(2, 2) } == 5)
    }

    @Test func reportsVerifierErrorsAndKeepsTheModule() throws {
        let module = IRModule(name: "broken")
        let b = module.builder
        let function = b.addFunction("broken", returning: b.f32, parameters: [])
        b.position(atEndOf: b.appendBlock(function, "entry"))
        _ = b.fadd(b.f32(1), b.f32(2))  // no terminator
        let jit = try JITCompiler()
        #expect {
            try jit.compile(module)
        } throws: { error in
            guard case .verification(let name, let message) = error as? CodegenError else { return false }
            return name == "broken" && message.contains("terminator")
        }
        #expect(module.irText.contains("define float @broken"))
    }

    @Test func aModuleCompilesOnlyOnce() throws {
        let jit = try JITCompiler()
        let module = Self.scaleModule("once")
        _ = try jit.compile(module)
        #expect(throws: CodegenError.moduleAlreadyCompiled("once")) { try jit.compile(module) }
    }

    @Test func unknownSymbolsAreTypedErrors() throws {
        let compiled = try JITCompiler().compile(Self.scaleModule("known"))
        #expect(throws: CodegenError.unknownSymbol("unknown")) { try compiled.address(of: "unknown") }
    }

    @Test func duplicateSymbolsFailUntilTheFirstModuleIsReleased() throws {
        let jit = try JITCompiler()
        var first: CompiledModule? = try jit.compile(Self.scaleModule("dup"))
        #expect(try first?.withFunction("dup", as: Scale.self) { $0(1, 1) } == 2)
        #expect {
            try jit.compile(Self.scaleModule("dup"))
        } throws: { error in
            switch error as? CodegenError {
            case .addModule(_, let message), .symbolLookup(_, let message): message.contains("dup")
            default: false
            }
        }
        first = nil  // removes the ResourceTracker and with it the definition
        let second = try jit.compile(Self.scaleModule("dup"))
        #expect(try second.withFunction("dup", as: Scale.self) { $0(2, 3) } == 7)
    }

    /// Builds `float name(float x) { return callee(x) }` calling an external `callee`.
    static func callerModule(_ name: String, callee: String) -> IRModule {
        let module = IRModule(name: name)
        let b = module.builder
        let external = b.declareFunction(callee, returning: b.f32, parameters: [b.f32])
        let function = b.addFunction(name, returning: b.f32, parameters: [b.f32])
        b.position(atEndOf: b.appendBlock(function, "entry"))
        b.return(b.call(external, [b.parameter(function, 0)]))
        return module
    }

    @Test func resolvesProcessSymbolsAndReportsMissingOnes() throws {
        typealias Unary = @convention(c) (Float) -> Float
        let jit = try JITCompiler()
        let cosine = try jit.compile(Self.callerModule("callsCos", callee: "cosf"))
        #expect(try cosine.withFunction("callsCos", as: Unary.self) { $0(0.5) } == Foundation.cos(Float(0.5)))
        #expect {
            try jit.compile(Self.callerModule("callsNothing", callee: "hypatia_no_such_symbol"))
        } throws: { error in
            guard case .symbolLookup(let symbol, let message) = error as? CodegenError else { return false }
            return symbol == "callsNothing" && message.contains("hypatia_no_such_symbol")
        }
        // The JIT stays usable after a failed compile.
        let after = try jit.compile(Self.scaleModule("after"))
        #expect(try after.withFunction("after", as: Scale.self) { $0(1, 2) } == 3)
    }

    @Test func uniqueNamesDoNotRepeat() throws {
        let jit = try JITCompiler()
        let names = (0..<100).map { _ in jit.uniqueName("k") }
        #expect(Set(names).count == 100)
    }
}
