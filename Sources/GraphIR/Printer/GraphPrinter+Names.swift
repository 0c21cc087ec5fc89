/// The names a printed graph uses: `%name` for arguments, `%0, %1, ...` for body nodes in
/// topological order, and `?hint` for dim symbols (`?hint_1`, ... when hints repeat).
struct GraphNames {
    /// The graph's argument nodes: explicit inputs, then the shared variables it reads.
    let arguments: [Node]
    /// The nodes printed as instructions, in topological order.
    let body: [Node]
    private var values: [ObjectIdentifier: String] = [:]
    private var storages: [ObjectIdentifier: String] = [:]
    private var symbols: [DimSymbol: String] = [:]
    private var usedValueNames: Set<String> = []
    private var usedSymbolNames: Set<String> = []

    init(_ graph: Graph) {
        let shared = graph.sharedInputs
        arguments = graph.inputs + shared
        let argumentIDs = Set(arguments.map(ObjectIdentifier.init))
        body = graph.nodes.filter { !argumentIDs.contains(ObjectIdentifier($0)) }
        for node in graph.inputs where values[ObjectIdentifier(node)] == nil {
            let label: String
            if case .input(let name, _) = node.op { label = name } else { label = node.op.name }
            values[ObjectIdentifier(node)] = claimValueName(label)
        }
        for node in shared {
            guard case .shared(let storage) = node.op else { continue }
            values[ObjectIdentifier(node)] = storageName(storage)
        }
        for storage in graph.updateTargets { _ = storageName(storage) }
        for (i, node) in body.enumerated() { values[ObjectIdentifier(node)] = "%\(i)" }
        for node in arguments { nameSymbols(in: node.type.shape) }
        for node in body {
            nameSymbols(in: node.op.attributeDims)
            nameSymbols(in: node.type.shape)
        }
    }

    /// `%x` or `%3`; `%?` for a node outside the graph.
    func name(of node: Node) -> String { values[ObjectIdentifier(node)] ?? "%?" }

    /// `%W` for a shared variable (named even when the graph only updates it).
    func name(of storage: SharedStorage) -> String { storages[ObjectIdentifier(storage)] ?? "%?" }

    /// `f32[?x0,10]` with this graph's symbol names.
    func type(_ type: TensorType) -> String {
        "\(type.dtype.shortName)[\(dims(type.shape))]"
    }

    /// Comma-separated dims with this graph's symbol names.
    func dims(_ dims: [Dim]) -> String {
        dims.map { $0.rendered { symbols[$0] ?? $0.description } }.joined(separator: ",")
    }

    private mutating func storageName(_ storage: SharedStorage) -> String {
        if let name = storages[ObjectIdentifier(storage)] { return name }
        let name = claimValueName(storage.name)
        storages[ObjectIdentifier(storage)] = name
        return name
    }

    /// A fresh `%identifier` from a user label (invalid characters become `_`; a leading digit
    /// gets a `_` so it cannot clash with a body number; repeats get `_1`, `_2`, ...).
    private mutating func claimValueName(_ label: String) -> String {
        var base = Self.identifier(label)
        if base.first!.isNumber { base = "_" + base }
        let name = Self.unique(base, among: usedValueNames)
        usedValueNames.insert(name)
        return "%" + name
    }

    private mutating func nameSymbols(in dims: [Dim]) {
        for symbol in dims.flatMap({ $0.symbolsInOrder }) where symbols[symbol] == nil {
            let name = Self.unique(Self.identifier(symbol.hint), among: usedSymbolNames)
            usedSymbolNames.insert(name)
            symbols[symbol] = "?" + name
        }
    }

    /// `label` with characters other than letters, digits, `_` and `.` replaced by `_` (`_` if empty).
    private static func identifier(_ label: String) -> String {
        let text = String(label.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." ? $0 : "_" })
        return text.isEmpty ? "_" : text
    }

    /// `base`, or `base_1`, `base_2`, ... whichever is first not in `used`.
    private static func unique(_ base: String, among used: Set<String>) -> String {
        if !used.contains(base) { return base }
        var i = 1
        while used.contains("\(base)_\(i)") { i += 1 }
        return "\(base)_\(i)"
    }
}

extension Dim {
    /// The symbols in order of first appearance in the text form.
    var symbolsInOrder: [DimSymbol] {
        switch self {
        case .constant: return []
        case .symbol(let s): return [s]
        case .sum(let a, let b), .product(let a, let b), .quotient(let a, let b),
             .maximum(let a, let b), .minimum(let a, let b):
            return a.symbolsInOrder + b.symbolsInOrder
        }
    }
}
