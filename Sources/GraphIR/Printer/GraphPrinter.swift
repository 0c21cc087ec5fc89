/// Prints a graph in the MLIR-like text form of DESIGN.md §3 (deterministic).
///
/// ```
/// graph @train(%x: f32[?x0,784], %W: f32[784,10] shared) -> (f32[?x0,10]) {
///   %0 = dot %x, %W : f32[?x0,10]
///   %1 = constant 0.5 : f32[]
///   ...
///   return %0
///   updates %W = %7
/// }
/// ```
/// Arguments keep their names, body nodes are numbered in topological order, constants with
/// at most 8 elements print their value, and a node where an error was first recorded gets a
/// trailing `// error:` comment.
package func printGraph(_ graph: Graph) -> String {
    let names = GraphNames(graph)
    var lines = [header(graph, names)]
    for node in names.body { lines.append("  " + instruction(node, names)) }
    let results = graph.outputs.prefix(graph.outputCount).map(names.name(of:))
    lines.append("  return" + (results.isEmpty ? "" : " " + results.joined(separator: ", ")))
    let updates = Array(graph.outputs.dropFirst(graph.outputCount))
    if !updates.isEmpty {
        let named = graph.updateTargets.count == updates.count
        let items = updates.enumerated().map { i, value in
            named ? "\(names.name(of: graph.updateTargets[i])) = \(names.name(of: value))" : names.name(of: value)
        }
        lines.append("  updates " + items.joined(separator: ", "))
    }
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
}

/// `graph @name(%x: f32[?x0,784], %W: f32[784,10] shared) -> (f32[])`.
private func header(_ graph: Graph, _ names: GraphNames) -> String {
    let arguments = names.arguments.map { node in
        let shared: String
        if case .shared = node.op { shared = " shared" } else { shared = "" }
        return "\(names.name(of: node)): \(names.type(node.type))\(shared)"
    }
    let results = graph.outputs.prefix(graph.outputCount).map { names.type($0.type) }
    return "graph @\(graph.name)(\(arguments.joined(separator: ", "))) -> (\(results.joined(separator: ", "))) {"
}

/// `%3 = add %1, %2 : f32[?x0,10]`, `%4 = constant 0.5 : f32[]`, `%5 = sum %4 {axes=[1]} : ...`.
private func instruction(_ node: Node, _ names: GraphNames) -> String {
    var parts = ["\(names.name(of: node)) = \(node.op.name)"]
    if case .constant(let value) = node.op { parts.append(constantText(value)) }
    if !node.inputs.isEmpty { parts.append(node.inputs.map(names.name(of:)).joined(separator: ", ")) }
    let attributes = names.attributes(node.op)
    if !attributes.isEmpty { parts.append(attributes) }
    var line = parts.joined(separator: " ") + " : " + names.type(node.type)
    if let error = node.error, !node.inputs.contains(where: { $0.error == error }) {
        line += "  // error: \(error)"
    }
    return line
}
