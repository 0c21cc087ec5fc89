import TensorRuntime

/// How a 2-D convolution pads its input (Theano's `border_mode`).
package enum ConvBorderMode: Hashable, Sendable, CustomStringConvertible {
    /// No padding: only positions where the whole (dilated) filter fits.
    case valid
    /// Padding `(k-1)·d` on each side: every position where filter and input overlap.
    case full
    /// Padding `((k-1)·d+1) / 2` on each side ("same" size for odd filters and stride 1).
    case half
    /// Explicit zero padding `(ph, pw)` on each side of the rows and the columns.
    case explicit(Int, Int)

    package var description: String {
        switch self {
        case .valid: return "valid"
        case .full: return "full"
        case .half: return "half"
        case .explicit(let ph, let pw): return "(\(ph),\(pw))"
        }
    }
}

/// The attributes of `Op.conv2d` and its gradient ops.
///
/// With `filterFlip` (the default, like Theano's `conv2d` and Lasagne's `flip_filters`) the
/// op is a true convolution: the filter is flipped along both spatial axes before the
/// cross-correlation `y[n,o,i,j] = Σ x[n, g·C/G + c, i·sh + a·dh - ph, j·sw + b·dw - pw] ·
/// w[o, c, a', b']` with `a' = kh-1-a`, `b' = kw-1-b` (without the flip `a' = a`, `b' = b`).
package struct Conv2DAttributes: Hashable, Sendable {
    package var borderMode: ConvBorderMode
    package var stride: (Int, Int) { (strideH, strideW) }
    package var dilation: (Int, Int) { (dilationH, dilationW) }
    package var strideH: Int, strideW: Int
    package var dilationH: Int, dilationW: Int
    package var groups: Int
    package var filterFlip: Bool

    package init(borderMode: ConvBorderMode = .valid, stride: (Int, Int) = (1, 1),
                 dilation: (Int, Int) = (1, 1), groups: Int = 1, filterFlip: Bool = true) {
        self.borderMode = borderMode
        (strideH, strideW) = stride
        (dilationH, dilationW) = dilation
        self.groups = groups
        self.filterFlip = filterFlip
    }

    /// The padding of the rows and the columns for filters of spatial size `(kh, kw)`.
    package func padding(kh: Dim, kw: Dim) -> (Dim, Dim) {
        let eh = (kh - .constant(1)) * .constant(dilationH) + .constant(1)
        let ew = (kw - .constant(1)) * .constant(dilationW) + .constant(1)
        switch borderMode {
        case .valid: return (.constant(0), .constant(0))
        case .full: return (eh - .constant(1), ew - .constant(1))
        case .half: return (Dim.floorDiv(eh, .constant(2)), Dim.floorDiv(ew, .constant(2)))
        case .explicit(let ph, let pw): return (.constant(ph), .constant(pw))
        }
    }

    /// The attribute text of the IR printer.
    package var attributeList: [String] {
        ["border=\(borderMode)", "stride=[\(strideH),\(strideW)]", "dilation=[\(dilationH),\(dilationW)]",
         "groups=\(groups)"] + (filterFlip ? ["flip=true"] : [])
    }
}

/// What a 2-D pooling window computes.
package enum PoolMode: String, Hashable, Sendable, CaseIterable {
    /// The maximum (padding never counts); the gradient goes to the first maximum.
    case max
    /// The mean with padded positions counted as zeros (Theano's `average_inc_pad`).
    case averageIncludingPadding
    /// The mean over the real (non-padding) positions only (Theano's `average_exc_pad`).
    case averageExcludingPadding
}

/// The attributes of `Op.pool2d` and `Op.pool2dGrad` (pooling over the last two axes).
///
/// Theano semantics: output window `i` covers padded rows `[i·sh, min(i·sh + wh, H + 2ph))`;
/// with `ignoreBorder` false partial windows at the bottom/right border count (and padding
/// must be zero). Averages divide by the window's clipped size (including padding) or by
/// its count of real positions.
package struct Pool2DAttributes: Hashable, Sendable {
    package var mode: PoolMode
    package var windowH: Int, windowW: Int
    package var strideH: Int, strideW: Int
    package var padH: Int, padW: Int
    package var ignoreBorder: Bool

    package init(mode: PoolMode, window: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                 ignoreBorder: Bool = true) {
        self.mode = mode
        (windowH, windowW) = window
        (strideH, strideW) = stride ?? window
        (padH, padW) = padding
        self.ignoreBorder = ignoreBorder
    }

    /// The number of windows along an axis of extent `n` (Theano's `Pool.out_shape`).
    package func outputExtent(_ n: Dim, window: Int, stride: Int, pad: Int) -> Dim {
        let padded = n + .constant(2 * pad)
        if ignoreBorder { return Dim.floorDiv(padded - .constant(window), .constant(stride)) + .constant(1) }
        if stride >= window { return Dim.floorDiv(padded - .constant(1), .constant(stride)) + .constant(1) }
        let rest = Dim.floorDiv(padded - .constant(1 + window - stride), .constant(stride))
        return Dim.max(.constant(0), rest) + .constant(1)
    }

    /// The attribute text of the IR printer.
    package var attributeList: [String] {
        ["mode=\(mode.rawValue)", "window=[\(windowH),\(windowW)]", "stride=[\(strideH),\(strideW)]",
         "padding=[\(padH),\(padW)]"] + (ignoreBorder ? [] : ["ignoreBorder=false"])
    }
}
