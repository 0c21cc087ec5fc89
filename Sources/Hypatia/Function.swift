import GraphIR
import KernelIR
import TensorRuntime

/// Compiles symbolic `outputs` into a callable function of `inputs` (Theano's `function`).
///
/// - `updates`: after each call, every shared variable gets its new value (computed from the
///   values before the call; all or nothing).
/// - `givens`: (variable, replacement) pairs substituted into the graph before compiling, e.g.
///   an input replaced by a slice of a shared dataset.
/// - `mode`: how the function is compiled and run (see `Mode`): by default the graph is fully
///   rewritten, lowered to fused loop kernels and compiled to native code with LLVM.
///
/// Throws a `GraphError` for anything wrong: an error recorded while building an output,
/// update or given; an input that is not a symbolic input (`.argument`) or listed twice
/// (`.argument`); a given whose types do not fit (`.argument`); an input the outputs need but
/// that is neither listed nor replaced (`.missingInput`); an update target listed twice or an
/// update value whose dtype or shape does not fit the target (`.invalidUpdate`).
///
/// The mode's `defaultOptimizer` rewrites the graph; what it did is in the result's `report`.
public func function(inputs: [Variable], outputs: [Variable], updates: [(SharedVariable, Variable)] = [],
                     givens: [(Variable, Variable)] = [], mode: Mode = .fastRun, name: String = "f",
                     file: String = #fileID, line: Int = #line) throws -> CompiledFunction {
    try compile(inputs: inputs, outputs: outputs, updates: updates, givens: givens, optimizer: mode.defaultOptimizer,
                mode: mode, kernelCompiler: nil, name: name, at: here(file, line))
}

/// Compiles as `function(inputs:outputs:updates:givens:mode:name:)`, with `optimizer` instead
/// of the mode's default rewrites (see `GraphOptimizer`). An unknown rule name throws `.argument`.
public func function(inputs: [Variable], outputs: [Variable], updates: [(SharedVariable, Variable)] = [],
                     givens: [(Variable, Variable)] = [], optimizer: GraphOptimizer, mode: Mode = .fastRun,
                     name: String = "f", file: String = #fileID, line: Int = #line) throws -> CompiledFunction {
    try compile(inputs: inputs, outputs: outputs, updates: updates, givens: givens, optimizer: optimizer,
                mode: mode, kernelCompiler: nil, name: name, at: here(file, line))
}

/// Compiles as `function(...)` with the plan's kernels compiled by `kernelCompiler` instead of
/// LLVM (not cached): the seam tests use to run plans on the loop-IR interpreter or to inject
/// a wrong kernel. Ignored by `.interpret`. The rewrites are `optimizer`'s whatever the mode.
package func function(inputs: [Variable], outputs: [Variable], updates: [(SharedVariable, Variable)] = [],
                      givens: [(Variable, Variable)] = [], optimizer: GraphOptimizer = .fastRun, mode: Mode,
                      kernelCompiler: any KernelCompiler, name: String = "f", file: String = #fileID,
                      line: Int = #line) throws -> CompiledFunction {
    try compile(inputs: inputs, outputs: outputs, updates: updates, givens: givens,
                optimizer: optimizer, mode: mode, kernelCompiler: kernelCompiler,
                name: name, at: here(file, line))
}

/// Validates, builds the graph, rewrites it and compiles it for `mode`.
private func compile(inputs: [Variable], outputs: [Variable], updates: [(SharedVariable, Variable)],
                     givens: [(Variable, Variable)], optimizer: GraphOptimizer, mode: Mode,
                     kernelCompiler: (any KernelCompiler)?, name: String,
                     at loc: SourceLocation) throws -> CompiledFunction {
    for variable in inputs + outputs + updates.map(\.1) + givens.flatMap({ [$0.0, $0.1] }) {
        try variable.check()
    }
    let inputNodes = try validateInputs(inputs, at: loc)
    let mapping = try validateGivens(givens, inputs: Set(inputNodes), at: loc)
    try validateUpdateTargets(updates.map(\.0), at: loc)
    let updates = updates + defaultUpdates(outputs.map(\.node) + updates.map(\.1.node), mapping,
                                           explicit: updates.map(\.0))
    let roots = substitute(outputs.map(\.node) + updates.map(\.1.node), mapping)
    for root in roots { try root.check() }
    for (target, value) in zip(updates.map(\.0), roots.dropFirst(outputs.count)) {
        try validateUpdate(target, value.type, at: loc)
    }
    try checkMissingInputs(roots, listed: Set(inputNodes), outputCount: outputs.count, at: loc)
    var graph = Graph(name: name, inputs: inputNodes, outputs: roots, outputCount: outputs.count)
    graph.updateTargets = updates.map(\.0.storage)
    graph = intern(graph)
    let (optimized, report) = try optimize(graph, with: optimizer, at: loc)
    let program = try compileProgram(optimized, mode: mode, kernelCompiler: kernelCompiler)
    return CompiledFunction(graph: optimized, inputs: inputs, updateTargets: updates.map(\.0), program: program,
                            mode: mode, report: report)
}

/// The input nodes, after checking each is a symbolic input listed once.
private func validateInputs(_ inputs: [Variable], at loc: SourceLocation) throws(GraphError) -> [Node] {
    var seen = Set<Node>()
    for (i, variable) in inputs.enumerated() {
        let node = variable.node
        guard case .input = node.op else {
            let what = variable is SharedVariable
                ? "is a shared variable (its value is read automatically; do not list it)"
                : "is computed (\(variable)); only symbolic inputs (scalar, vector, matrix, ...) can be inputs"
            throw GraphError(.argument, op: "function", "input \(i) \(quoted(variable.name)) \(what)", at: loc)
        }
        guard seen.insert(node).inserted else {
            throw GraphError(.argument, op: "function",
                             "input \(i) \(quoted(variable.name)) is listed more than once", at: loc)
        }
    }
    return inputs.map(\.node)
}

/// The substitution map of `givens`, after checking keys are distinct, not listed as inputs,
/// and have the replacement's dtype and rank with unifiable dims.
private func validateGivens(_ givens: [(Variable, Variable)], inputs: Set<Node>,
                            at loc: SourceLocation) throws(GraphError) -> [Node: Node] {
    var mapping: [Node: Node] = [:]
    for (i, (old, new)) in givens.enumerated() {
        let label = "given \(i) (\(quoted(old.name)): \(old.type) → \(new.type))"
        guard mapping[old.node] == nil else {
            throw GraphError(.argument, op: "function", "\(label) replaces a variable already replaced", at: loc)
        }
        guard !inputs.contains(old.node) else {
            throw GraphError(.argument, op: "function",
                             "\(label) replaces a variable that is also listed in inputs:", at: loc)
        }
        guard old.dtype == new.dtype else {
            throw GraphError(.argument, op: "function", "\(label): dtypes \(old.dtype) and \(new.dtype) differ",
                             at: loc)
        }
        guard old.rank == new.rank, dimsUnify(old.type.shape, new.type.shape) else {
            throw GraphError(.argument, op: "function", "\(label): shapes do not match", at: loc)
        }
        mapping[old.node] = new.node
    }
    return mapping
}

/// True if the shapes have the same rank and no pair of constant dims differs.
func dimsUnify(_ a: [Dim], _ b: [Dim]) -> Bool {
    guard a.count == b.count else { return false }
    return zip(a, b).allSatisfy { x, y in
        guard let cx = x.constantValue, let cy = y.constantValue else { return true }
        return cx == cy
    }
}

/// Throws if a shared variable is the target of two updates.
private func validateUpdateTargets(_ targets: [SharedVariable], at loc: SourceLocation) throws(GraphError) {
    var seen = Set<ObjectIdentifier>()
    for (i, target) in targets.enumerated() where !seen.insert(ObjectIdentifier(target.storage)).inserted {
        throw GraphError(.invalidUpdate, op: "function",
                         "update \(i) targets shared variable \(quoted(target.name)), which already has an update",
                         at: loc)
    }
}

/// Throws unless an update value of `type` fits the target's dtype and shape.
private func validateUpdate(_ target: SharedVariable, _ type: TensorType, at loc: SourceLocation) throws(GraphError) {
    let expected = target.storage.type
    guard type.dtype == expected.dtype else {
        throw GraphError(.invalidUpdate, op: "function",
                         "update of shared variable \(quoted(target.name)) (\(expected)) has dtype \(type.dtype); "
                         + "cast it to \(expected.dtype) explicitly", at: loc)
    }
    guard dimsUnify(expected.shape, type.shape) else {
        throw GraphError(.invalidUpdate, op: "function",
                         "update of shared variable \(quoted(target.name)) (\(expected)) has type \(type)", at: loc)
    }
}

/// Throws `.missingInput` for the first `.input` leaf reachable from `roots` not in `listed`.
private func checkMissingInputs(_ roots: [Node], listed: Set<Node>, outputCount: Int,
                                at loc: SourceLocation) throws(GraphError) {
    for node in topologicalOrder(roots) where !listed.contains(node) {
        guard case .input(let name, let type) = node.op else { continue }
        throw GraphError(.missingInput, op: "function",
                         "the outputs need input \(quoted(name)) (\(type), created at \(node.location)), "
                         + "which is neither listed in inputs: nor replaced by givens:", at: loc)
    }
}
