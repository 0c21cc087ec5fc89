import TensorRuntime

extension Build {
    /// The im2col columns of x (N,C,H,W) for a convolution with `a` (see `Im2colAttributes`).
    package static func im2col(_ x: Node, _ a: Im2colAttributes, at loc: SourceLocation) -> Node {
        Node.make(.im2col(a), [x], at: loc)
    }

    /// The adjoint of im2col: columns summed back into an image of shape `image`.
    package static func col2im(_ cols: Node, _ a: Im2colAttributes, image: [Dim], at loc: SourceLocation) -> Node {
        Node.make(.col2im(a, image: image), [cols], at: loc)
    }
}
