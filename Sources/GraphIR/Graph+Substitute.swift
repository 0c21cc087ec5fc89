import TensorRuntime

/// Rebuilds the subgraphs of `roots` with every node in `mapping` replaced by its value.
///
/// Replacement values are used as they are (their own subgraphs are not substituted, like
/// Theano's `givens`). A node none of whose inputs changed is kept; a changed node is rebuilt
/// with `Node.make`, keeping its location, so the type rules run again on the new inputs (a
/// failing rule records its error on the rebuilt node). Where a replaced node's dim is a
/// symbol and its replacement's dim differs, ops that carry dims (broadcast, reshape, alloc,
/// arange) have that symbol rewritten to the replacement's dim, wherever they are (a
/// broadcast of a constant to x's shape depends on x's size but not on x's value).
package func substitute(_ roots: [Node], _ mapping: [Node: Node]) -> [Node] {
    if mapping.isEmpty { return roots }
    let dims = symbolSubstitution(mapping)
    var memo: [Node: Node] = [:]
    for node in topologicalOrderStopping(at: mapping, roots) {
        if let replacement = mapping[node] {
            memo[node] = replacement
            continue
        }
        let inputs = node.inputs.map { memo[$0] ?? $0 }
        let op = node.op.substitutingDims(dims)
        if op == node.op, zip(inputs, node.inputs).allSatisfy({ $0 === $1 }) {
            memo[node] = node
        } else {
            memo[node] = Node.make(op, inputs, at: node.location)
        }
    }
    return roots.map { memo[$0] ?? $0 }
}

/// Nodes reachable from `roots` without entering the subgraphs of mapped nodes, inputs first.
private func topologicalOrderStopping(at mapping: [Node: Node], _ roots: [Node]) -> [Node] {
    var order: [Node] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(Node, Int)] = []
    for root in roots where visited.insert(ObjectIdentifier(root)).inserted {
        stack.append((root, 0))
        while let (node, next) = stack.last {
            let children = mapping[node] == nil ? node.inputs : []
            if next < children.count {
                stack[stack.count - 1].1 += 1
                let child = children[next]
                if visited.insert(ObjectIdentifier(child)).inserted { stack.append((child, 0)) }
            } else {
                stack.removeLast()
                order.append(node)
            }
        }
    }
    return order
}

/// Symbol → dim bindings implied by replacing each key of `mapping` by its value.
private func symbolSubstitution(_ mapping: [Node: Node]) -> [DimSymbol: Dim] {
    var result: [DimSymbol: Dim] = [:]
    for (old, new) in mapping.sorted(by: { $0.key.id < $1.key.id }) where old.type.rank == new.type.rank {
        for (a, b) in zip(old.type.shape, new.type.shape) where a != b {
            if case .symbol(let s) = a, result[s] == nil { result[s] = b }
        }
    }
    return result
}

extension Dim {
    /// This dim with symbols replaced by `bindings` (smart constructors fold the result).
    package func substituting(_ bindings: [DimSymbol: Dim]) -> Dim {
        if bindings.isEmpty { return self }
        switch self {
        case .constant: return self
        case .symbol(let s): return bindings[s] ?? self
        case .sum(let a, let b): return a.substituting(bindings) + b.substituting(bindings)
        case .product(let a, let b): return a.substituting(bindings) * b.substituting(bindings)
        case .quotient(let a, let b): return .floorDiv(a.substituting(bindings), b.substituting(bindings))
        case .maximum(let a, let b): return .max(a.substituting(bindings), b.substituting(bindings))
        case .minimum(let a, let b): return .min(a.substituting(bindings), b.substituting(bindings))
        }
    }
}

extension Op {
    /// The op with the dims it carries rewritten by `bindings` (other ops are unchanged).
    package func substitutingDims(_ bindings: [DimSymbol: Dim]) -> Op {
        if bindings.isEmpty { return self }
        switch self {
        case .broadcast(let dims): return .broadcast(dims.map { $0.substituting(bindings) })
        case .reshape(let dims): return .reshape(dims.map { $0.substituting(bindings) })
        case .alloc(let dims): return .alloc(dims.map { $0.substituting(bindings) })
        case .arange(let dtype, let length): return .arange(dtype, length: length.substituting(bindings))
        case .random(var a):
            a.shape = a.shape.map { $0.substituting(bindings) }
            return .random(a)
        case .col2im(let a, let image): return .col2im(a, image: image.map { $0.substituting(bindings) })
        case .input, .shared, .constant, .elementwise, .reduce, .argmax, .argmin, .dot, .batchedDot, .gemm,
             .dimshuffle, .concatenate, .slice, .advancedIndex, .setSlice, .setAdvancedIndex, .dimension,
             .softmax, .logSoftmax, .stopGradient, .conv2d, .conv2dGradInput, .conv2dGradFilters, .pool2d, .pool2dGrad, .pool2dGradGrad, .im2col:
            return self
        }
    }
}
