/// The shared variables behind the parameters of `layer` and every layer below it (Lasagne's
/// `get_all_params`), in layer order, each once.
///
/// A parameter that is an expression (tied weights `encoder.W.T`) contributes the shared
/// variables it reads; a variable shared between layers is listed once, where first reached.
/// `trainable`/`regularizable`: nil ignores the tag, true keeps only parameters with it,
/// false only those without it.
public func allParameters(of layer: any Layer, trainable: Bool? = nil,
                          regularizable: Bool? = nil) -> [SharedVariable] {
    let parameters = allLayers(layer).flatMap(\.parameters).filter {
        matches($0.tags, .trainable, trainable) && matches($0.tags, .regularizable, regularizable)
    }
    return sharedVariables(in: parameters.map(\.variable))
}

/// True when `tags` agrees with the filter for `tag` (nil: any).
private func matches(_ tags: ParameterTags, _ tag: ParameterTags, _ wanted: Bool?) -> Bool {
    wanted.map { tags.contains(tag) == $0 } ?? true
}

/// The shared variables read by `variables`, deduplicated by storage, in order of appearance.
func sharedVariables(in variables: [Variable]) -> [SharedVariable] {
    var seen = Set<ObjectIdentifier>()
    var result: [SharedVariable] = []
    for variable in variables {
        for node in topologicalOrder([variable.node]) {
            guard case .shared(let storage) = node.op, seen.insert(ObjectIdentifier(storage)).inserted else { continue }
            result.append((variable as? SharedVariable).flatMap { $0.node === node ? $0 : nil }
                          ?? SharedVariable(storage: storage, node: node))
        }
    }
    return result
}

/// The current values of `allParameters(of: layer)`, in the same order (Lasagne's
/// `get_all_param_values`).
public func parameterValues(of layer: any Layer) -> [Tensor] {
    allParameters(of: layer).map(\.value)
}

/// Sets the values of `allParameters(of: layer)` from `values` in the same order (Lasagne's
/// `set_all_param_values`). All or nothing: throws `GraphError` (`.argument` for a wrong
/// count, `.shape`/`.dtype` for a value that does not match its parameter's current value)
/// and then changes no parameter.
public func setParameterValues(of layer: any Layer, _ values: [Tensor],
                               file: String = #fileID, line: Int = #line) throws(GraphError) {
    let loc = here(file, line)
    let parameters = allParameters(of: layer)
    guard values.count == parameters.count else {
        throw GraphError(.argument, op: "setParameterValues",
                         "the network has \(parameters.count) parameters, got \(values.count) values", at: loc)
    }
    for (index, (parameter, value)) in zip(parameters, values).enumerated() {
        let current = parameter.value
        let label = "value \(index) for parameter \(parameter.name.isEmpty ? "<unnamed>" : parameter.name)"
        guard value.dtype == current.dtype else {
            throw GraphError(.dtype, op: "setParameterValues",
                             "\(label) has dtype \(value.dtype), the parameter has \(current.dtype)", at: loc)
        }
        guard value.shape == current.shape else {
            throw GraphError(.shape, op: "setParameterValues",
                             "\(label) has shape \(value.shape), the parameter has \(current.shape)", at: loc)
        }
    }
    for (parameter, value) in zip(parameters, values) {
        do {
            try parameter.setValue(value, file: file, line: line)
        } catch {
            // Unreachable after the checks above; setValue only throws GraphError.
            throw (error as? GraphError) ?? GraphError(.argument, op: "setParameterValues", "\(error)", at: loc)
        }
    }
}
