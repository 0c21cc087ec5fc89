import GraphIR
import TensorRuntime

extension Scheduler {
    /// The nodes a kernel storing `roots` computes inline, roots included, in topological
    /// order: everything reachable from the roots through data inputs that is neither a leaf nor
    /// materialized by another step.
    func cone(_ roots: [Node]) -> [Node] {
        let rootSet = Set(roots)
        var seen = Set<Node>(), stack = roots
        while let node = stack.popLast() {
            guard seen.insert(node).inserted else { continue }
            for input in NodeFacts.dataInputs(node) where isInline(input, rootSet) { stack.append(input) }
        }
        return seen.sorted { position[$0]! < position[$1]! }
    }

    /// True when a kernel storing `roots` computes `node` itself rather than loading it.
    func isInline(_ node: Node, _ roots: Set<Node>) -> Bool {
        guard roles[node] != .leaf else { return false }
        return roots.contains(node) || !materialized.contains(node)
    }

    /// The group storing `roots`, or the node to materialize so that its reductions share one
    /// iteration space and its roots fit it.
    func group(_ roots: [Node]) -> Result<FusedGroup, FusionFailure> {
        let inline = cone(roots)
        let reductions = inline.filter { roles[$0] == .reduction }
        if let reduction = reductions.first, roots.contains(where: { roles[$0] == .parts }) {
            return .failure(FusionFailure(node: reduction))   // parts kernels have no reduction passes
        }
        guard let first = reductions.first else {
            return .success(FusedGroup(roots: roots, domain: roots[0].type.shape, rowAxes: [], inline: inline))
        }
        let top = topLevelReductions(roots, Set(inline))
        let base = Self.space(of: top.first ?? first)
        for r in reductions where Self.space(of: r) != base {
            if top.contains(r) { return .failure(FusionFailure(node: r)) }
            let outer = top.first { cone([$0.inputs[0]]).contains(r) } ?? top[0]
            return .failure(FusionFailure(node: outer.inputs[0]))
        }
        let group = FusedGroup(roots: roots, domain: base.shape, rowAxes: base.axes, inline: inline)
        for root in roots where root.type.shape != group.domain && !group.isOuterShape(root.type.shape) {
            return .failure(FusionFailure(node: top.first { cone([root]).contains($0) } ?? top[0]))
        }
        return .success(group)
    }

    /// The iteration space of a reduction: its input's shape and the reduced axes.
    static func space(of reduction: Node) -> ReductionSpace {
        let shape = reduction.inputs[0].type.shape
        if case .reduce(_, let axes, _) = reduction.op { return ReductionSpace(shape: shape, axes: axes) }
        if case .argmax(let axis, _) = reduction.op { return ReductionSpace(shape: shape, axes: [axis]) }
        if case .argmin(let axis, _) = reduction.op { return ReductionSpace(shape: shape, axes: [axis]) }
        preconditionFailure("\(reduction) is not a reduction")
    }

    /// Reductions reachable from the roots without passing through another reduction.
    private func topLevelReductions(_ roots: [Node], _ cone: Set<Node>) -> [Node] {
        var found = Set<Node>(), seen = Set<Node>(), stack = roots
        while let node = stack.popLast() {
            guard seen.insert(node).inserted else { continue }
            if roles[node] == .reduction {
                found.insert(node)
                continue
            }
            stack.append(contentsOf: NodeFacts.dataInputs(node).filter { cone.contains($0) })
        }
        return found.sorted { position[$0]! < position[$1]! }
    }

    /// Values several kernels recompute although they are expensive: the most downstream ones
    /// (a value inside the cone of one already chosen is left for the next round).
    func expensiveSharedValues(_ groups: [FusedGroup]) -> [Node] {
        var count: [Node: Int] = [:]
        for group in groups {
            for node in group.inline where !group.roots.contains(node) { count[node, default: 0] += 1 }
        }
        let shared = count.filter { $0.value > 1 }.keys.sorted { position[$0]! > position[$1]! }
        var chosen = expensivePadValues(groups) + expensiveRepeatedOperands(groups), covered = Set<Node>()
        for node in shared where !covered.contains(node) {
            let inline = cone([node])
            guard RecomputeCost.of(inline, roles: roles) > RecomputeCost.threshold else { continue }
            chosen.append(node)
            covered.formUnion(inline)
        }
        return chosen
    }
}

extension Scheduler {
    /// The values of elementwise setSlice nodes whose inline computation costs more than
    /// `RecomputeCost.padThreshold`: the elementwise form evaluates them at every point of the
    /// result (clamped into the slice), so they are computed once, into a buffer, instead.
    func expensivePadValues(_ groups: [FusedGroup]) -> [Node] {
        var result: [Node] = []
        for group in groups {
            for node in group.inline {
                guard case .setSlice = node.op, roles[node] == .fusible else { continue }
                let values = node.inputs[1]
                guard isInline(values, Set(group.roots)),
                      RecomputeCost.of(cone([values]), roles: roles) > RecomputeCost.padThreshold else { continue }
                result.append(values)
            }
        }
        return result
    }
}

/// The iteration space of a reduction (input shape and reduced axes).
struct ReductionSpace: Equatable {
    var shape: [Dim]
    var axes: [Int]
}

/// The recompute-versus-materialize heuristic.
///
/// A value needed by several kernels is recomputed by each of them when the scalar work of its
/// inline cone is at most `threshold` units per element (arithmetic 1, division/sqrt 2,
/// transcendental functions 4, pow 8, index arithmetic and casts 0, poolings 1 or 3 per unrolled
/// window tap, see `PoolFacts.recomputeUnits`), i.e. about two
/// transcendental calls: a vectorized exp or tanh costs roughly what storing the value and loading
/// it again costs in memory traffic. Reductions are never recomputed.
enum RecomputeCost {
    static let threshold = 8
    /// The most an elementwise setSlice may spend per element on its values (see
    /// `Scheduler.expensivePadValues`).
    static let padThreshold = 2

    static func of(_ cone: [Node], roles: [Node: NodeRole]) -> Int {
        cone.reduce(0) { total, node in
            roles[node] == .reduction ? total + 1_000 : total + unit(node.op)
        }
    }

    private static func unit(_ op: Op) -> Int {
        if case .random(let a) = op { return RandomLowering.cost(a) }
        guard case .elementwise(let scalar) = op else { return PoolFacts.recomputeUnits(op) }
        switch scalar {
        case .exp, .log, .log1p, .expm1, .tanh, .sigmoid, .softplus, .erf: return 4
        case .pow: return 8
        case .div, .sqrt: return 2
        case .cast: return 0
        case .neg, .abs, .sign, .relu, .logicalNot, .add, .sub, .mul, .maximum, .minimum, .eq, .neq, .lt, .le,
             .gt, .ge, .logicalAnd, .logicalOr, .select, .clip:
            return 1
        }
    }
}
