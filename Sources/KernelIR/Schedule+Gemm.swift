import GraphIR
import TensorRuntime

/// Lowering of `dot` / `batchedDot` to library products: transposes and scalar factors fold in.
enum GemmFolding {
    /// The product plan of a dot node: operands under transposing dimshuffles become
    /// transA/transB, constant scalar factors of the operands and of the result (when the dot's
    /// only user multiplies it by a constant, negates it or divides it by a constant) go into alpha.
    static func plan(_ dot: Node, users: [Node: [Node]], outputs: Set<Node>) -> GemmPlan {
        var alpha = 1.0
        let transposedPattern: [Int?] = isBatched(dot) ? [0, 2, 1] : [1, 0]
        let (a, transA) = operand(dot.inputs[0], transposed: transposedPattern, alpha: &alpha)
        let (b, transB) = operand(dot.inputs[1], transposed: transposedPattern, alpha: &alpha)
        var output = dot
        while !outputs.contains(output), let next = users[output], next.count == 1,
              let factor = resultFactor(next[0], of: output) {
            alpha *= factor
            output = next[0]
        }
        return GemmPlan(node: dot, output: output, a: a, b: b, transA: transA, transB: transB, alpha: alpha)
    }

    private static func isBatched(_ node: Node) -> Bool {
        if case .batchedDot = node.op { return true }
        return false
    }

    /// The materialized node under an operand, whether it is transposed, and its scalar factor.
    private static func operand(_ x: Node, transposed pattern: [Int?], alpha: inout Double) -> (Node, Bool) {
        var node = x, trans = false
        while true {
            if case .dimshuffle(let p) = node.op, p == pattern {
                trans.toggle()
                node = node.inputs[0]
            } else if case .elementwise(.mul) = node.op, let (factor, other) = scalarTimes(node) {
                alpha *= factor
                node = other
            } else {
                return (node, trans)
            }
        }
    }

    /// For `mul(c, y)` or `mul(y, c)` with a constant scalar c (possibly broadcast): (c, y).
    private static func scalarTimes(_ node: Node) -> (Double, Node)? {
        if let c = scalarFactor(node.inputs[0]) { return (c, node.inputs[1]) }
        if let c = scalarFactor(node.inputs[1]) { return (c, node.inputs[0]) }
        return nil
    }

    /// The factor by which `user` scales `value` (its only non-constant operand), if constant.
    private static func resultFactor(_ user: Node, of value: Node) -> Double? {
        guard case .elementwise(let op) = user.op, user.type.dtype == value.type.dtype else { return nil }
        if op == .neg { return -1 }
        let (first, second) = (user.inputs[0], user.inputs.count > 1 ? user.inputs[1] : user.inputs[0])
        guard first !== second else { return nil }
        if op == .mul { return scalarFactor(first === value ? second : first) }
        guard op == .div, first === value, let c = scalarFactor(second), c != 0 else { return nil }
        return 1 / c
    }

    /// The value of a constant all of whose elements are equal, seen through broadcasts and
    /// dimshuffles (a scalar a tensor is multiplied by).
    static func scalarFactor(_ node: Node) -> Double? {
        if case .constant = node.op { return NodeFacts.uniformConstant(node) }
        if case .broadcast = node.op { return scalarFactor(node.inputs[0]) }
        if case .dimshuffle = node.op { return scalarFactor(node.inputs[0]) }
        if case .reshape = node.op { return scalarFactor(node.inputs[0]) }
        return nil
    }
}
