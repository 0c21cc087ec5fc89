import GraphIR
import TensorRuntime

/// conv2d and its gradients rewritten, before scheduling, as library matrix products over
/// im2col columns, the batch folded into the products' column dimension:
///
/// ```
/// cols = im2col(x)                                   (G, C/G, kh, kw, N, H', W'), materialized
/// conv2d            = (w as (G, O/G, R)) · (cols as (G, R, N·H'·W'))  → (O, N, H', W') → NCHW
/// conv2dGradFilters = ((cols as (G, R, N·H'·W')) · gyᶜᵀ)ᵀ              (transB folded)
/// conv2dGradInput   = col2im((w as (G, O/G, R))ᵀ · gyᶜ)                (transA folded)
/// ```
///
/// with R = C/G·kh·kw and gyᶜ = gy channel-major, (O, N, H', W') viewed as (G, O/G, N·H'·W'),
/// materialized. One group uses `dot` on the matrices, several `batchedDot`. The filters are
/// only viewed (im2col reads the flipped taps), the final transposes (to NCHW, and of the
/// filter gradient, whose product runs about 15% faster as (R, O/G) with OpenBLAS) fuse into
/// the consumers' kernels; im2col is fusible index arithmetic (`GroupLowering.im2col`), col2im
/// a parts kernel (`GroupLowering.col2imParts`). The forward product and the filter gradient
/// share the columns.
/// Convolutions whose filters have a symbolic spatial size stay reference steps.
struct ConvExpansion {
    /// Values the scheduler must materialize: the columns (written by a kernel with one loop
    /// per axis, so no index division) and the channel-major cotangents.
    private(set) var materialize: Set<Node> = []
    private var columns: [ColumnsKey: Node] = [:]
    private var channelMajor: [ChannelKey: (transposed: Node, matrix: Node)] = [:]

    private struct ColumnsKey: Hashable {
        let x: Node
        let attributes: Im2colAttributes
    }

    private struct ChannelKey: Hashable {
        let gy: Node
        let groups: Int
    }

    /// The expansion of `node` (its inputs already replaced by `inputs`), or nil when it is not
    /// a convolution that lowers this way.
    mutating func expand(_ node: Node, _ inputs: [Node]) -> Node? {
        guard let attrs = Self.attributes(node), node.type.dtype.isFloatingPoint,
              let kh = inputs[1].type.shape[2].constantValue, let kw = inputs[1].type.shape[3].constantValue
        else { return nil }
        let a = Im2colAttributes(attrs, kernel: (kh, kw)), loc = node.location
        var created: [Node] = []
        let cols = columnsNode(inputs[0], a, loc)
        let m = ConvMatrices(cols: cols, w: inputs[1], groups: attrs.groups, loc: loc)
        let result: Node
        switch Self.kind(node) {
        case .forward:
            let y = m.product(m.filters, m.columns)
            let shape = node.type.shape, outputs = [shape[1], shape[0], shape[2], shape[3]]
            created = [y]
            result = Build.dimshuffle(Build.reshape(y, dims: outputs, at: loc), [1, 0, 2, 3], at: loc)
        case .gradFilters:
            let gy = channelMajorNode(inputs[2], m)
            created = [gy.transposed, gy.matrix]
            result = m.transposed(m.product(m.columns, m.transposed(gy.matrix)))
        case .gradInput:
            let gy = channelMajorNode(inputs[2], m)
            let dcols = m.product(m.transposed(m.filters), gy.matrix)
            created = [gy.transposed, gy.matrix, dcols]
            result = Build.col2im(Build.reshape(dcols, dims: cols.type.shape, at: loc), a,
                                  image: node.type.shape, at: loc)
        }
        let expanded = Build.reshape(result, dims: node.type.shape, at: loc)
        guard (created + [cols, m.filters, m.columns, expanded]).allSatisfy({ $0.error == nil }),
              expanded.type == node.type else { return nil }
        materialize.insert(cols)
        if Self.kind(node) != .forward { materialize.insert(created[0]) }
        return expanded
    }

    /// im2col(x), one node per input and geometry (the forward product and the filter
    /// gradient read the same columns).
    private mutating func columnsNode(_ x: Node, _ a: Im2colAttributes, _ loc: SourceLocation) -> Node {
        let key = ColumnsKey(x: x, attributes: a)
        if let cols = columns[key] { return cols }
        let cols = Build.im2col(x, a, at: loc)
        columns[key] = cols
        return cols
    }

    /// gy (N,O,H',W') channel-major, as the (G, O/G, N·H'·W') matrices of the products.
    private mutating func channelMajorNode(_ gy: Node, _ m: ConvMatrices) -> (transposed: Node, matrix: Node) {
        let key = ChannelKey(gy: gy, groups: m.groups)
        if let nodes = channelMajor[key] { return nodes }
        let transposed = Build.dimshuffle(gy, [1, 0, 2, 3], at: m.loc)
        let nodes = (transposed, m.cotangent(transposed))
        channelMajor[key] = nodes
        return nodes
    }

    private enum Kind { case forward, gradInput, gradFilters }

    private static func attributes(_ node: Node) -> Conv2DAttributes? {
        if case .conv2d(let a) = node.op { return a }
        if case .conv2dGradInput(let a) = node.op { return a }
        if case .conv2dGradFilters(let a) = node.op { return a }
        return nil
    }

    private static func kind(_ node: Node) -> Kind {
        if case .conv2dGradInput = node.op { return .gradInput }
        if case .conv2dGradFilters = node.op { return .gradFilters }
        return .forward
    }
}

/// The matrix views of one convolution: the filters (G, O/G, R) and the columns (G, R, P),
/// without the group axis when G = 1. Each view is spelled with its operand's own dims, so
/// sizes that only agree at run time are checked by the products (see `PlanBuilder.addGemm`).
private struct ConvMatrices {
    let groups: Int
    let loc: SourceLocation
    let filters: Node, columns: Node

    init(cols: Node, w: Node, groups: Int, loc: SourceLocation) {
        (self.groups, self.loc) = (groups, loc)
        let c = cols.type.shape, f = w.type.shape
        filters = Self.matrix(w, groups: groups, rows: f[0], columns: f[1] * f[2] * f[3], loc)
        let rows = c[1] * c[2] * c[3], pixels = c[4] * c[5] * c[6]
        columns = Build.reshape(cols, dims: groups == 1 ? [rows, pixels] : [c[0], rows, pixels], at: loc)
    }

    /// gy (N,O,H',W') transposed to channel-major (O,N,H',W') viewed as (G, O/G, N·H'·W').
    func cotangent(_ transposed: Node) -> Node {
        let s = transposed.type.shape
        return Self.matrix(transposed, groups: groups, rows: s[0], columns: s[1] * s[2] * s[3], loc)
    }

    /// `x` viewed as (G, rows/G, columns), or (rows, columns) for one group.
    private static func matrix(_ x: Node, groups: Int, rows: Dim, columns: Dim, _ loc: SourceLocation) -> Node {
        let dims = groups == 1 ? [rows, columns] : [.constant(groups), Dim.floorDiv(rows, .constant(groups)), columns]
        return Build.reshape(x, dims: dims, at: loc)
    }

    /// The (batched) matrix transpose (folded into the library product).
    func transposed(_ x: Node) -> Node {
        Build.dimshuffle(x, groups == 1 ? [1, 0] : [0, 2, 1], at: loc)
    }

    /// The (batched) matrix product.
    func product(_ a: Node, _ b: Node) -> Node {
        groups == 1 ? Build.dot(a, b, at: loc) : Build.batchedDot(a, b, at: loc)
    }
}
