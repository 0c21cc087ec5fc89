import TensorRuntime

/// The attributes of `Op.im2col` and `Op.col2im`: a convolution's geometry and its filters'
/// spatial size (constant: the columns have one row per filter tap).
///
/// im2col of x (N,C,H,W) has shape (G, C/G, kh, kw, N, H', W') (G groups, H' and W' the
/// convolution's output extents) and element `[g,c,a,b,n,i,j] = x[n, g·C/G + c, i·sh + a'·dh -
/// ph, j·sw + b'·dw - pw]`, zero in the padding, where `a' = kh-1-a`, `b' = kw-1-b` when the
/// convolution flips its filters (else `a' = a`, `b' = b`). So conv2d(x, w) is the product of w
/// viewed as (G, O/G, C/G·kh·kw) with the columns viewed as (G, C/G·kh·kw, N·H'·W'), the flip
/// being index arithmetic. col2im is its adjoint: it adds every column entry back to the input
/// position it was read from.
package struct Im2colAttributes: Hashable, Sendable {
    package var conv: Conv2DAttributes
    package var kernelH: Int, kernelW: Int

    package init(_ conv: Conv2DAttributes, kernel: (Int, Int)) {
        self.conv = conv
        (kernelH, kernelW) = kernel
    }

    /// The padding of the rows and the columns.
    package var padding: (Dim, Dim) { conv.padding(kh: .constant(kernelH), kw: .constant(kernelW)) }

    /// The filter row (column) a tap `a` along the rows (columns) reads: `kh-1-a` when flipped.
    package func tapRow(_ a: Int) -> Int { conv.filterFlip ? kernelH - 1 - a : a }
    package func tapColumn(_ b: Int) -> Int { conv.filterFlip ? kernelW - 1 - b : b }

    /// The attribute text of the IR printer.
    package var attributeList: [String] {
        ["kernel=[\(kernelH),\(kernelW)]"] + conv.attributeList
    }
}
