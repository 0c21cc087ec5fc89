import TensorRuntime

extension TypeRule {
    /// `.conv2d`: x (N,C,H,W), filters (O,C/groups,kh,kw) of one float dtype → (N,O,H',W').
    func conv2d(_ attrs: Conv2DAttributes) throws(GraphError) -> TensorType {
        try arity(2)
        return try convOutput(inputs[0], inputs[1], attrs)
    }

    /// `.conv2dGradInput` / `.conv2dGradFilters`: x, filters, gy → x's (filters') type; gy
    /// must have conv2d(x, filters)'s shape.
    func conv2dGrad(_ attrs: Conv2DAttributes, filters: Bool) throws(GraphError) -> TensorType {
        try arity(3)
        let y = try convOutput(inputs[0], inputs[1], attrs)
        let gy = inputs[2]
        guard gy.dtype == y.dtype else {
            throw error(.dtype, "cotangent \(gy) does not match the convolution's dtype \(y.dtype)")
        }
        _ = try unifyShapes(gy, y, verb: "do not match (cotangent vs convolution output)")
        return filters ? inputs[1] : inputs[0]
    }

    /// The conv2d result type, with every attribute and shape check.
    private func convOutput(_ x: TensorType, _ w: TensorType, _ a: Conv2DAttributes) throws(GraphError) -> TensorType {
        try checkConvAttributes(a)
        let dtype = try sharedDType([x, w])
        guard dtype.isFloatingPoint else { throw error(.dtype, "needs float operands, got \(x) and \(w)") }
        guard x.rank == 4, w.rank == 4 else {
            throw error(.shape, "input \(x) and filters \(w) must both be rank 4: (N,C,H,W) and (O,C/groups,kh,kw)")
        }
        try checkChannels(x, w, a.groups)
        let (ph, pw) = a.padding(kh: w.shape[2], kw: w.shape[3])
        let h = try convExtent(x.shape[2], w.shape[2], pad: ph, stride: a.strideH, dilation: a.dilationH, x, w)
        let wd = try convExtent(x.shape[3], w.shape[3], pad: pw, stride: a.strideW, dilation: a.dilationW, x, w)
        return TensorType(dtype, [x.shape[0], w.shape[0], h, wd])
    }

    func checkConvAttributes(_ a: Conv2DAttributes) throws(GraphError) {
        guard a.strideH >= 1, a.strideW >= 1 else {
            throw error(.argument, "stride (\(a.strideH), \(a.strideW)) must be positive")
        }
        guard a.dilationH >= 1, a.dilationW >= 1 else {
            throw error(.argument, "dilation (\(a.dilationH), \(a.dilationW)) must be positive")
        }
        guard a.groups >= 1 else { throw error(.argument, "groups \(a.groups) must be positive") }
        if case .explicit(let ph, let pw) = a.borderMode, ph < 0 || pw < 0 {
            throw error(.argument, "padding (\(ph), \(pw)) must not be negative")
        }
    }

    /// Input channels C = (C/groups)·groups and O divisible by groups.
    private func checkChannels(_ x: TensorType, _ w: TensorType, _ groups: Int) throws(GraphError) {
        let expected = w.shape[1] * .constant(groups)
        guard Dim.unify(x.shape[1], expected) != nil else {
            let per = groups == 1 ? "" : " × \(groups) groups"
            throw error(.shape, "channel mismatch: input \(x) has \(x.shape[1]) channels, filters \(w) take "
                        + "\(w.shape[1])\(per)")
        }
        if let o = w.shape[0].constantValue, o % groups != 0 {
            throw error(.shape, "filters \(w): \(o) output channels are not divisible by \(groups) groups")
        }
    }

    /// The output extent along one spatial axis; a (constant) filter larger than the padded
    /// input is an error.
    func convExtent(_ n: Dim, _ k: Dim, pad: Dim, stride: Int, dilation: Int,
                            _ x: TensorType, _ w: TensorType) throws(GraphError) -> Dim {
        let padded = n + pad + pad
        let span = (k - .constant(1)) * .constant(dilation) + .constant(1)
        if let p = padded.constantValue, let s = span.constantValue, s > p {
            throw error(.shape, "filter larger than padded input: filters \(w) span \(s) (dilated), "
                        + "input \(x) is \(p) with padding")
        }
        return Dim.floorDiv(padded - span, .constant(stride)) + .constant(1)
    }

    /// `.pool2d`: x (rank ≥ 2, float) → x with the last two axes pooled.
    func pool2d(_ a: Pool2DAttributes) throws(GraphError) -> TensorType {
        try arity(1)
        return try poolOutput(inputs[0], a)
    }

    /// `.pool2dGrad`: x, gy → x's type; gy must have pool2d(x)'s shape.
    func pool2dGrad(_ a: Pool2DAttributes) throws(GraphError) -> TensorType {
        try arity(2)
        let y = try poolOutput(inputs[0], a), gy = inputs[1]
        guard gy.dtype == y.dtype else { throw error(.dtype, "cotangent \(gy) does not match the pooling's \(y)") }
        _ = try unifyShapes(gy, y, verb: "do not match (cotangent vs pooling output)")
        return inputs[0]
    }

    /// `.pool2dGradGrad`: x, h (x's type) → pool2d(x)'s type.
    func pool2dGradGrad(_ a: Pool2DAttributes) throws(GraphError) -> TensorType {
        try arity(2)
        let y = try poolOutput(inputs[0], a)
        guard inputs[1].dtype == y.dtype else { throw error(.dtype, "operands \(inputs[0]) and \(inputs[1]) differ") }
        _ = try unifyShapes(inputs[1], inputs[0], verb: "do not match")
        return y
    }

    private func poolOutput(_ x: TensorType, _ a: Pool2DAttributes) throws(GraphError) -> TensorType {
        guard x.dtype.isFloatingPoint else { throw error(.dtype, "needs a float operand, got \(x)") }
        guard x.rank >= 2 else { throw error(.shape, "input \(x) needs rank ≥ 2 (pools the last two axes)") }
        guard a.windowH >= 1, a.windowW >= 1 else {
            throw error(.argument, "window (\(a.windowH), \(a.windowW)) must be positive")
        }
        guard a.strideH >= 1, a.strideW >= 1 else {
            throw error(.argument, "bad stride (\(a.strideH), \(a.strideW)): must be positive")
        }
        guard a.padH >= 0, a.padW >= 0, a.padH < a.windowH, a.padW < a.windowW else {
            throw error(.argument, "padding (\(a.padH), \(a.padW)) must be ≥ 0 and smaller than the window "
                        + "(\(a.windowH), \(a.windowW))")
        }
        guard a.ignoreBorder || (a.padH == 0 && a.padW == 0) else {
            throw error(.argument, "padding needs ignoreBorder true")
        }
        let r = x.rank
        let h = a.outputExtent(x.shape[r - 2], window: a.windowH, stride: a.strideH, pad: a.padH)
        let w = a.outputExtent(x.shape[r - 1], window: a.windowW, stride: a.strideW, pad: a.padW)
        if let hv = h.constantValue, let wv = w.constantValue, hv < 1 || wv < 1 {
            throw error(.shape, "window (\(a.windowH), \(a.windowW)) is larger than the padded input \(x)")
        }
        return TensorType(x.dtype, Array(x.shape.dropLast(2)) + [h, w])
    }
}
