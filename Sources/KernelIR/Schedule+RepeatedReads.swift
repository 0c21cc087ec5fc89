import GraphIR

extension NodeFacts {
    /// How many times an inline `node` evaluates each element of its data input `k`, at most:
    /// once for most ops; poolings read an element from every window containing it (max
    /// gradients also every tap of those windows); im2col once per filter tap covering it.
    static func readsPerElement(_ node: Node, input k: Int) -> Int {
        guard case .im2col(let a) = node.op else {
            return PoolFacts.attributes(node.op) == nil ? 1 : PoolFacts.readsPerElement(node, input: k)
        }
        return tapsCovering(a.kernelH, stride: a.conv.strideH, dilation: a.conv.dilationH)
            * tapsCovering(a.kernelW, stride: a.conv.strideW, dilation: a.conv.dilationW)
    }

    /// The most taps `t < kernel` of one output row that read the same input row: taps `t·d`
    /// hitting one residue modulo the stride `s` are `s / gcd(s, d)` apart.
    private static func tapsCovering(_ kernel: Int, stride: Int, dilation: Int) -> Int {
        var (a, b) = (stride, dilation)
        while b != 0 { (a, b) = (b, a % b) }
        let step = stride / a
        return (kernel + step - 1) / step
    }
}

extension Scheduler {
    /// Inline operands evaluated several times per element of their reader (overlapping
    /// pooling windows, max-pooling gradients, im2col's filter taps) whose inline computation
    /// costs more than `RecomputeCost.threshold` over those extra evaluations: they are
    /// computed once, into a buffer, instead (pool1 of LeNet would otherwise be recomputed 25
    /// times inside conv2's im2col).
    func expensiveRepeatedOperands(_ groups: [FusedGroup]) -> [Node] {
        var result: [Node] = []
        for group in groups {
            let roots = Set(group.roots)
            for node in group.inline where roles[node] == .fusible {
                for (k, input) in node.inputs.enumerated()
                where isInline(input, roots) && NodeFacts.dataInputs(node).contains(input) {
                    let extra = NodeFacts.readsPerElement(node, input: k) - 1
                    guard extra > 0 else { continue }
                    if extra * RecomputeCost.of(cone([input]), roles: roles) > RecomputeCost.threshold {
                        result.append(input)
                    }
                }
            }
        }
        return result
    }
}
