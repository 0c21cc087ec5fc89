import GraphIR
import TensorRuntime

// MARK: - Convolution and pooling

/// How `conv2d` pads its input (Theano's `border_mode`).
public enum BorderMode: Hashable, Sendable {
    /// No padding: output (H - ((kh-1)·dh+1)) / sh + 1.
    case valid
    /// Padding (kh-1)·dh on each side: every position where filter and input overlap.
    case full
    /// Padding ((kh-1)·dh+1) / 2 on each side: same size for odd filters and stride 1.
    case half
    /// Explicit zero padding of the rows and the columns on each side.
    case padding(Int, Int)

    var graphMode: ConvBorderMode {
        switch self {
        case .valid: return .valid
        case .full: return .full
        case .half: return .half
        case .padding(let ph, let pw): return .explicit(ph, pw)
        }
    }
}

/// 2-D convolution of x (N,C,H,W) with filters (O,C/groups,kh,kw) → (N,O,H',W').
///
/// Like Theano's `conv2d` and Lasagne's default, the filters are flipped (a true
/// convolution); pass `filterFlip: false` for cross-correlation (PyTorch-style). Channels are
/// split into `groups` independent groups.
public func conv2d(_ x: Variable, _ filters: Variable, borderMode: BorderMode = .valid, stride: (Int, Int) = (1, 1),
                   dilation: (Int, Int) = (1, 1), groups: Int = 1, filterFlip: Bool = true,
                   file: String = #fileID, line: Int = #line) -> Variable {
    let attrs = Conv2DAttributes(borderMode: borderMode.graphMode, stride: stride, dilation: dilation,
                                 groups: groups, filterFlip: filterFlip)
    return Variable(Build.conv2d(x.node, filters.node, attrs, at: here(file, line)))
}

/// Max pooling over the last two axes (window default stride = window). With `ignoreBorder`
/// false, partial windows at the bottom/right border count (Theano); padding needs it true.
public func maxPool2d(_ x: Variable, window: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                      ignoreBorder: Bool = true, file: String = #fileID, line: Int = #line) -> Variable {
    let attrs = Pool2DAttributes(mode: .max, window: window, stride: stride, padding: padding,
                                 ignoreBorder: ignoreBorder)
    return Variable(Build.pool2d(x.node, attrs, at: here(file, line)))
}

/// Average pooling over the last two axes. `includePadding` divides by the window size
/// (padding counted as zeros, Theano's `average_inc_pad`), else by the number of real
/// positions in the window (`average_exc_pad`).
public func avgPool2d(_ x: Variable, window: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                      ignoreBorder: Bool = true, includePadding: Bool = true,
                      file: String = #fileID, line: Int = #line) -> Variable {
    let mode: PoolMode = includePadding ? .averageIncludingPadding : .averageExcludingPadding
    let attrs = Pool2DAttributes(mode: mode, window: window, stride: stride, padding: padding,
                                 ignoreBorder: ignoreBorder)
    return Variable(Build.pool2d(x.node, attrs, at: here(file, line)))
}
