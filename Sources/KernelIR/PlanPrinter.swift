import Foundation
import GraphIR
import TensorRuntime

/// Prints a plan: buffers with symbolic shapes, sources and lifetimes, the steps, the error
/// table, then every kernel (deterministic; this is `dump(.kernels)`).
///
/// ```
/// plan @f(2 arguments) -> (%b3) {
///   buffers
///     %b0: f32[?n,784] argument 0 'x'
///     %b1: f32[784,10] argument 1 shared 'W'
///     %b2: f32[?n,10] temporary live 0...1
///     %b3: f32[?n,10] output
///   steps
///     0: gemm %b2 = %b0 * %b1 {m=?n, n=10, k=784}
///     1: kernel @k0(%b2, %b3; (10*?n))
///   errors
///     1: advancedIndex: index out of bounds for axis 0 with size ?n (at main.swift:3)
/// }
///
/// kernel @k0(...) { ... }
/// ```
/// Dim symbols print as `?hint`, with `_1`, `_2`, ... when different symbols share a hint.
package func printPlan(_ plan: Plan) -> String {
    let names = PlanSymbolNames(plan)
    let memory = MemoryPlan.analysedIfValid(plan)
    let outputs = plan.outputs.map(\.description).joined(separator: ", ")
    var lines = ["plan @\(plan.name)(\(plan.argumentCount) arguments) -> (\(outputs)) {", "  buffers"]
    for (i, buffer) in plan.buffers.enumerated() {
        let type = "\(buffer.dtype.shortName)[\(names.dims(buffer.shape))]"
        lines.append("    \(BufferID(i)): \(type) \(source(buffer.source, i, plan, memory))")
    }
    lines.append("  steps")
    for (i, step) in plan.steps.enumerated() { lines.append("    \(i): \(describe(step, plan, names))") }
    if plan.inPlaceStepCount > 0 {
        let arguments = plan.inPlaceArguments.map(String.init).joined(separator: ", ")
        lines.append("  in place: steps \(plan.steps.count - plan.inPlaceStepCount)... may write arguments [\(arguments)]")
    }
    if !plan.errorMessages.isEmpty {
        lines.append("  errors")
        for code in plan.errorMessages.keys.sorted() {
            let entry = plan.errorMessages[code]!
            let text = entry.sizes.enumerated().reduce(entry.message) {
                $0.replacingOccurrences(of: "{\($1.offset)}", with: names.dims([$1.element]))
            }
            let place = entry.location.map { " (at \($0))" } ?? ""
            lines.append("    \(code): \(entry.op): \(text)\(place)")
        }
    }
    lines.append("}")
    var text = lines.joined(separator: "\n") + "\n"
    for kernel in plan.kernels { text += "\n" + printKernel(kernel) }
    return text
}

/// `argument 0 'x'`, `constant [1, 2]`, `temporary live 0...2`, `output`, `alias %b3`.
private func source(_ source: BufferSource, _ buffer: Int, _ plan: Plan, _ memory: MemoryPlan?) -> String {
    switch source {
    case .argument(let k):
        let label = plan.argumentLabels.indices.contains(k) ? " " + plan.argumentLabels[k] : ""
        return "argument \(k)\(label)"
    case .constant(let tensor):
        guard tensor.count <= 8 else { return "constant (\(tensor.count) elements)" }
        return "constant [" + tensor.scalars.map { LoopIRPrinter.constant($0, tensor.dtype) }
            .joined(separator: ", ") + "]"
    case .alias(let target):
        return "alias \(target)" + (plan.inPlaceBuffers.contains(BufferID(buffer)) ? " (written in place)" : "")
    case .temporary:
        guard let memory else { return "temporary" }
        switch memory.storage[buffer] {
        case .temporary(let lifetime): return "temporary live \(lifetime.lowerBound)...\(lifetime.upperBound)"
        case .output: return "output"
        case .unused: return "temporary unused"
        case .argument, .constant: return "temporary"
        }
    }
}

/// The one-line form of a step.
private func describe(_ step: PlanStep, _ plan: Plan, _ names: PlanSymbolNames) -> String {
    switch step {
    case .kernel(let k, let buffers, let params):
        let name = plan.kernels.indices.contains(k) ? plan.kernels[k].name : "kernel#\(k)"
        var arguments = buffers.map(\.description).joined(separator: ", ")
        if !params.isEmpty { arguments += "; " + params.map { names.dims([$0]) }.joined(separator: ", ") }
        return "kernel @\(name)(\(arguments))"
    case .gemm(let g):
        let a = g.a.description + (g.transA ? "^T" : ""), b = g.b.description + (g.transB ? "^T" : "")
        var attributes = ["m=\(names.dims([g.m]))", "n=\(names.dims([g.n]))", "k=\(names.dims([g.k]))"]
        if g.alpha != 1 { attributes.append("alpha=\(g.alpha)") }
        if g.beta != 0 { attributes.append("beta=\(g.beta)") }
        if g.batch != 1 {
            attributes += ["batch=\(names.dims([g.batch]))", "strides=[\(names.dims([g.strideA, g.strideB, g.strideC]))]"]
        }
        return "gemm \(g.c) = \(a) * \(b) {\(attributes.joined(separator: ", "))}"
    case .reference(let node, let inputs, let output):
        let operands = inputs.map(\.description).joined(separator: ", ")
        let type = "\(node.type.dtype.shortName)[\(names.dims(node.type.shape))]"
        return "reference \(output) = \(node.op.name) \(operands) : \(type) (at \(node.location))"
    }
}

extension MemoryPlan {
    /// The analysis of `plan` if its alias links are valid, nil otherwise (for printing
    /// plans that do not verify).
    static func analysedIfValid(_ plan: Plan) -> MemoryPlan? {
        for start in plan.buffers.indices {
            var current = start, hops = 0
            while case .alias(let target) = plan.buffers[current].source {
                guard plan.buffers.indices.contains(target.raw), hops <= plan.buffers.count else { return nil }
                current = target.raw
                hops += 1
            }
        }
        return MemoryPlan(plan)
    }
}

/// Unique printed names for the dim symbols of a plan.
struct PlanSymbolNames {
    private var names: [DimSymbol: String] = [:]

    init(_ plan: Plan) {
        var used: Set<String> = []
        var dims = plan.buffers.flatMap(\.shape)
        for step in plan.steps {
            switch step {
            case .kernel(_, _, let params): dims += params
            case .gemm(let g): dims += [g.m, g.n, g.k, g.batch, g.strideA, g.strideB, g.strideC]
            case .reference(let node, _, _): dims += node.type.shape
            }
        }
        dims += plan.errorMessages.keys.sorted().flatMap { plan.errorMessages[$0]!.sizes }
        for symbol in dims.flatMap(Self.symbolsInOrder) where names[symbol] == nil {
            var name = symbol.hint, i = 1
            while used.contains(name) { name = "\(symbol.hint)_\(i)"; i += 1 }
            used.insert(name)
            names[symbol] = "?" + name
        }
    }

    /// Comma-separated dims with these symbol names.
    func dims(_ dims: [Dim]) -> String {
        dims.map { $0.rendered { names[$0] ?? $0.description } }.joined(separator: ",")
    }

    private static func symbolsInOrder(_ dim: Dim) -> [DimSymbol] {
        switch dim {
        case .constant: return []
        case .symbol(let s): return [s]
        case .sum(let a, let b), .product(let a, let b), .quotient(let a, let b),
             .maximum(let a, let b), .minimum(let a, let b):
            return symbolsInOrder(a) + symbolsInOrder(b)
        }
    }
}
