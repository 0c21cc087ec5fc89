import TensorRuntime

extension Build {
    /// 2-D convolution of x (N,C,H,W) with filters (O,C/groups,kh,kw); int operands are cast
    /// to floatX. Filters are flipped unless `attrs.filterFlip` is false.
    package static func conv2d(_ x: Node, _ filters: Node, _ attrs: Conv2DAttributes, at loc: SourceLocation) -> Node {
        Node.make(.conv2d(attrs), [floatOperand(x, at: loc), floatOperand(filters, at: loc)], at: loc)
    }

    /// The gradient of conv2d(x, filters) for x, given the output cotangent gy.
    package static func conv2dGradInput(_ x: Node, _ filters: Node, _ gy: Node, _ attrs: Conv2DAttributes,
                                        at loc: SourceLocation) -> Node {
        Node.make(.conv2dGradInput(attrs), [x, filters, gy], at: loc)
    }

    /// The gradient of conv2d(x, filters) for the filters, given the output cotangent gy.
    package static func conv2dGradFilters(_ x: Node, _ filters: Node, _ gy: Node, _ attrs: Conv2DAttributes,
                                          at loc: SourceLocation) -> Node {
        Node.make(.conv2dGradFilters(attrs), [x, filters, gy], at: loc)
    }

    /// Pooling over the last two axes of x (int operands are cast to floatX).
    package static func pool2d(_ x: Node, _ attrs: Pool2DAttributes, at loc: SourceLocation) -> Node {
        Node.make(.pool2d(attrs), [floatOperand(x, at: loc)], at: loc)
    }

    /// The gradient of pool2d(x) for x, given the output cotangent gy.
    package static func pool2dGrad(_ x: Node, _ gy: Node, _ attrs: Pool2DAttributes, at loc: SourceLocation) -> Node {
        Node.make(.pool2dGrad(attrs), [x, gy], at: loc)
    }

    /// x, cast to floatX when it is not float.
    private static func floatOperand(_ x: Node, at loc: SourceLocation) -> Node {
        x.type.dtype.isFloatingPoint ? x : cast(x, to: DType.floatX, at: loc)
    }
}
