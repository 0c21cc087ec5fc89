/// The symbolic output of `layer` (Lasagne's `get_output`).
///
/// Walks the layer DAG once in topological order, calling each layer's
/// `output(for:deterministic:)` exactly once per call (a layer feeding several others is
/// computed once). `inputs` substitutes variables for layers: for an `InputLayer`, or for any
/// layer (its input layers are then not visited). Unsubstituted input layers use their own
/// input variables. `deterministic` turns off dropout and noise and makes batch norm use
/// its running averages.
public func getOutput(_ layer: any Layer, inputs: [(any Layer, Variable)] = [],
                      deterministic: Bool = false) -> Variable {
    getOutput([layer], inputs: inputs, deterministic: deterministic)[0]
}

/// The outputs of several layers of one network, computed in one walk (shared layers once).
public func getOutput(_ layers: [any Layer], inputs: [(any Layer, Variable)] = [],
                      deterministic: Bool = false) -> [Variable] {
    var memo: [ObjectIdentifier: Variable] = [:]
    for (layer, variable) in inputs { memo[ObjectIdentifier(layer)] = variable }
    for layer in topologicalOrder(layers, stoppingAt: Set(memo.keys)) where memo[ObjectIdentifier(layer)] == nil {
        let incoming = layer.inputLayers.map { memo[ObjectIdentifier($0)]! }
        memo[ObjectIdentifier(layer)] = layer.output(for: incoming, deterministic: deterministic)
    }
    return layers.map { memo[ObjectIdentifier($0)]! }
}

/// The output of `layer` with `input` in place of the network's only `InputLayer` (Lasagne's
/// `get_output(layer, x)`). A network with several input layers gets an output carrying a
/// `GraphError(.argument)`: pass `inputs: [(layer, variable)]` instead.
public func getOutput(_ layer: any Layer, input: Variable, deterministic: Bool = false,
                      file: String = #fileID, line: Int = #line) -> Variable {
    let inputLayers = allLayers(layer).filter { $0 is InputLayer }
    guard inputLayers.count == 1 else {
        let error = GraphError(.argument, op: "getOutput", "input: needs a network with exactly one InputLayer, "
                               + "this one has \(inputLayers.count); pass inputs: [(layer, variable)]",
                               at: here(file, line))
        return failedOutput(error, like: [input])
    }
    return getOutput(layer, inputs: [(inputLayers[0], input)], deterministic: deterministic)
}

/// The output of `layer` with variables substituted for layers keyed by
/// `ObjectIdentifier(layer)` (the contract's dictionary form of `inputs:`).
public func getOutput(_ layer: any Layer, inputs: [ObjectIdentifier: Variable],
                      deterministic: Bool = false) -> Variable {
    let pairs = allLayers(layer).compactMap { l in inputs[ObjectIdentifier(l)].map { (l, $0) } }
    return getOutput(layer, inputs: pairs, deterministic: deterministic)
}

/// Every layer `layer` depends on, itself included, in topological order (each layer after
/// its input layers; Lasagne's `get_all_layers`).
public func allLayers(_ layer: any Layer) -> [any Layer] {
    topologicalOrder([layer], stoppingAt: [])
}

/// Layers reachable from `roots` in topological order; layers in `stops` are included but
/// their inputs are not visited. Iterative depth-first search (deep networks do not recurse).
func topologicalOrder(_ roots: [any Layer], stoppingAt stops: Set<ObjectIdentifier>) -> [any Layer] {
    var order: [any Layer] = []
    var done = Set<ObjectIdentifier>()
    var stack: [(layer: any Layer, expanded: Bool)] = roots.reversed().map { ($0, false) }
    while let (layer, expanded) = stack.popLast() {
        let id = ObjectIdentifier(layer)
        if done.contains(id) { continue }
        if expanded || stops.contains(id) {
            done.insert(id)
            order.append(layer)
            continue
        }
        stack.append((layer, true))
        for input in layer.inputLayers.reversed() where !done.contains(ObjectIdentifier(input)) {
            stack.append((input, false))
        }
    }
    return order
}
