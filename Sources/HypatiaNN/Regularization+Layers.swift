/// The sum of `penalty` over the regularizable parameters of `layer` itself (not the layers
/// below it; Lasagne's `regularize_layer_params`), e.g. `regularizeLayerParameters(dense,
/// penalty: l2)`. Tied parameters contribute their shared variables once. 0 without any.
public func regularizeLayerParameters(_ layer: any Layer, penalty: (Variable) -> Variable) -> Variable {
    regularizeLayerParameters([layer], penalty: penalty)
}

/// The sum of `penalty` over the regularizable parameters of each of `layers` (each shared
/// variable once).
public func regularizeLayerParameters(_ layers: [any Layer], penalty: (Variable) -> Variable) -> Variable {
    let parameters = layers.flatMap(\.parameters).filter { $0.tags.contains(.regularizable) }
    return applyPenalty(sharedVariables(in: parameters.map(\.variable)), penalty)
}

/// The sum of `penalty` over the regularizable parameters of the whole network below `layer`
/// (Lasagne's `regularize_network_params`): weight decay is
/// `coefficient * regularizeNetworkParameters(net, penalty: l2)`.
public func regularizeNetworkParameters(_ layer: any Layer, penalty: (Variable) -> Variable) -> Variable {
    applyPenalty(allParameters(of: layer, regularizable: true), penalty)
}

/// Σ coefficient · (the penalty of that layer's own regularizable parameters) (Lasagne's
/// `regularize_layer_params_weighted`), for a different decay per layer.
public func regularizeLayerParametersWeighted(_ layers: [(any Layer, Double)],
                                              penalty: (Variable) -> Variable) -> Variable {
    let terms = layers.map { layer, coefficient in coefficient * regularizeLayerParameters(layer, penalty: penalty) }
    return terms.dropFirst().reduce(terms.first ?? constant(0), +)
}
