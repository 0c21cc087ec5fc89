import GraphIR
import TensorRuntime

/// How many consecutive positions of the two innermost domain axes one iteration of the
/// innermost loops computes (a `rows` × `columns` block; 1 × 1: no unrolling).
struct PoolUnrolling: Equatable {
    var rows = 1, columns = 1

    /// No unrolling.
    static let none = PoolUnrolling()

    /// True when an iteration computes more than one position.
    var isUnrolled: Bool { rows > 1 || columns > 1 }

    /// The loop extents (outermost first, ending with the rows and columns loops) of the
    /// unrolled nest: the last two divided by the factors.
    func divide(_ extents: inout [Dim]) {
        let last = extents.count - 1
        if columns > 1 { extents[last] = .constant(extents[last].constantValue! / columns) }
        if rows > 1 { extents[last - 1] = .constant(extents[last - 1].constantValue! / rows) }
    }
}

extension GroupLowering {
    /// The block of positions one iteration computes: the strides of a pooling gradient over
    /// the domain's last two axes (each where it divides the constant extent), so that window
    /// indices and gy reads are affine in the loop variables (strided loads and stores the
    /// vectorizer interleaves instead of gathers), the first maximum of a window is computed
    /// once for all its positions, and the operand values the window scan reads are the ones
    /// the positions' own consumers (relu′) read.
    func innermostUnrolling() -> PoolUnrolling {
        guard group.rowAxes.isEmpty, !group.inline.contains(where: Self.isReduction),
              let last = group.domain.last, let n = last.constantValue else { return .none }
        for node in group.inline {
            guard case .pool2dGrad(let a) = node.op, node.type.shape.last == last else { continue }
            var unrolling = PoolUnrolling.none
            if a.strideW > 1, n % a.strideW == 0 { unrolling.columns = a.strideW }
            if n > 1, let rows = rowUnrolling(node, a) { unrolling.rows = rows }
            if unrolling.isUnrolled { return unrolling }
        }
        return .none
    }

    /// The row stride of pooling gradient `node` when its rows are the domain's second-last
    /// axis, the stride is above 1 and divides the axis's constant extent.
    private func rowUnrolling(_ node: Node, _ a: Pool2DAttributes) -> Int? {
        let domain = group.domain, shape = node.type.shape
        guard domain.count >= 2, shape.count >= 2, a.strideH > 1, shape[shape.count - 2] == domain[domain.count - 2],
              let m = domain[domain.count - 2].constantValue, m % a.strideH == 0 else { return nil }
        return a.strideH
    }

    /// Stores the roots at the block of positions `(u·rows + a, v·columns + b)` of the two
    /// innermost loop variables u, v (see `innermostUnrolling`), in row-major order.
    mutating func storeUnrolled(_ roots: [Node], _ unrolling: PoolUnrolling) throws {
        let axes = bodyIndex!.axes!, count = axes.count
        for a in 0..<unrolling.rows {
            let row = Self.position(axes[count - 2], unrolling.rows, a)
            for b in 0..<unrolling.columns {
                let column = Self.position(axes[count - 1], unrolling.columns, b)
                var point = Array(axes.dropLast()) + [column]
                if unrolling.rows > 1 { point[count - 2] = row }
                bodyIndex = EmitIndex(shape: group.domain, axes: point)
                for root in roots { try store(root, outerIndex(of: root)) }
            }
        }
    }

    /// `v·factor + offset` (v itself when the factor is 1).
    private static func position(_ v: KExpr, _ factor: Int, _ offset: Int) -> KExpr {
        IndexMath.add(IndexMath.mul(v, .intConstant(Int64(factor))), .intConstant(Int64(offset)))
    }
}
