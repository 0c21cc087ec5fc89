extension VJP {
    /// Contributions of y = conv2d(x, w): dx = conv2dGradInput(x, w, g), dw = conv2dGradFilters(x, w, g).
    static func conv2d(_ a: Conv2DAttributes, _ y: Node, _ g: Node) -> [Node?] {
        let (x, w, loc) = (y.inputs[0], y.inputs[1], y.location)
        return [Build.conv2dGradInput(x, w, g, a, at: loc), Build.conv2dGradFilters(x, w, g, a, at: loc)]
    }

    /// Contributions of gx = conv2dGradInput(x, w, gy), bilinear in (w, gy) and the adjoint of
    /// conv2d in x: for cotangent h, ⟨h, gx⟩ = ⟨conv2d(h, w), gy⟩, so dgy = conv2d(h, w) and
    /// dw = conv2dGradFilters(h, w, gy); x only gives the shape.
    static func conv2dGradInput(_ a: Conv2DAttributes, _ node: Node, _ h: Node) -> [Node?] {
        let (w, gy, loc) = (node.inputs[1], node.inputs[2], node.location)
        return [nil, Build.conv2dGradFilters(h, w, gy, a, at: loc), Build.conv2d(h, w, a, at: loc)]
    }

    /// Contributions of gw = conv2dGradFilters(x, w, gy), bilinear in (x, gy): for cotangent k,
    /// ⟨k, gw⟩ = ⟨conv2d(x, k), gy⟩, so dx = conv2dGradInput(x, k, gy) and dgy = conv2d(x, k).
    static func conv2dGradFilters(_ a: Conv2DAttributes, _ node: Node, _ k: Node) -> [Node?] {
        let (x, gy, loc) = (node.inputs[0], node.inputs[2], node.location)
        return [Build.conv2dGradInput(x, k, gy, a, at: loc), nil, Build.conv2d(x, k, a, at: loc)]
    }

    /// Contributions of gx = pool2dGrad(x, gy), linear in gy: dgy is its adjoint applied to h,
    /// `pool2dGradGrad(x, h)` (h at each window's first maximum; for averages pool2d(h)). The
    /// gradient is piecewise constant in x (max) or independent of it (averages): dx = 0.
    static func pool2dGrad(_ a: Pool2DAttributes, _ node: Node, _ h: Node) -> [Node?] {
        let (x, loc) = (node.inputs[0], node.location)
        switch a.mode {
        case .averageIncludingPadding, .averageExcludingPadding: return [nil, Build.pool2d(h, a, at: loc)]
        case .max: return [nil, Node.make(.pool2dGradGrad(a), [x, h], at: loc)]
        }
    }
}
