import TensorRuntime

extension TypeRule {
    /// `.im2col`: x (N,C,H,W), float → (G, C/G, kh, kw, N, H', W') (see `Im2colAttributes`).
    func im2col(_ a: Im2colAttributes) throws(GraphError) -> TensorType {
        try arity(1)
        return TensorType(inputs[0].dtype, try columnsShape(of: inputs[0], a))
    }

    /// `.col2im`: columns of an image of shape `image` (im2col's result type for it) → the image.
    func col2im(_ a: Im2colAttributes, image: [Dim]) throws(GraphError) -> TensorType {
        try arity(1)
        try checkExtents(image)
        let target = TensorType(inputs[0].dtype, image)
        let expected = TensorType(inputs[0].dtype, try columnsShape(of: target, a))
        _ = try unifyShapes(inputs[0], expected, verb: "do not match (columns vs the image's columns)")
        return target
    }

    /// The shape of the columns of x, with every attribute and shape check.
    private func columnsShape(of x: TensorType, _ a: Im2colAttributes) throws(GraphError) -> [Dim] {
        try checkConvAttributes(a.conv)
        guard a.kernelH >= 1, a.kernelW >= 1 else {
            throw error(.argument, "kernel size (\(a.kernelH), \(a.kernelW)) must be positive")
        }
        guard x.dtype.isFloatingPoint, x.rank == 4 else {
            throw error(.shape, "needs a float (N,C,H,W) input, got \(x)")
        }
        let groups = a.conv.groups, c = x.shape[1]
        if let channels = c.constantValue, channels % groups != 0 {
            throw error(.shape, "input \(x): \(channels) channels are not divisible by \(groups) groups")
        }
        let (ph, pw) = a.padding, kernel = TensorType(x.dtype, [.constant(a.kernelH), .constant(a.kernelW)])
        let (kh, kw) = (Dim.constant(a.kernelH), Dim.constant(a.kernelW))
        let h = try convExtent(x.shape[2], kh, pad: ph, stride: a.conv.strideH, dilation: a.conv.dilationH, x, kernel)
        let w = try convExtent(x.shape[3], kw, pad: pw, stride: a.conv.strideW, dilation: a.conv.dilationW, x, kernel)
        return [.constant(groups), Dim.floorDiv(c, .constant(groups)), kh, kw, x.shape[0], h, w]
    }
}
