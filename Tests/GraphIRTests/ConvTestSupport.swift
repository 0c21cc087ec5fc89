import TensorRuntime
@testable import GraphIR
import HypatiaTestSupport

/// Direct float64 reference loops for conv2d and pooling, written from the definitions.
enum ConvRef {
    static func random(_ shape: [Int], seed: UInt64) -> RefArray {
        RandomData.uniform(shape, in: -1...1, seed: seed)
    }

    /// y[n,o,i,j] = Σ_{c,a,b} x[n, g·cg + c, i·sh + a·dh - ph, j·sw + b·dw - pw] · w[o, c, a', b'].
    static func conv2d(_ x: RefArray, _ w: RefArray, _ at: Conv2DAttributes) -> RefArray {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, cg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        let (ph, pw): (Int, Int)
        switch at.borderMode {
        case .valid: (ph, pw) = (0, 0)
        case .full: (ph, pw) = ((kh - 1) * at.dilationH, (kw - 1) * at.dilationW)
        case .half: (ph, pw) = (((kh - 1) * at.dilationH + 1) / 2, ((kw - 1) * at.dilationW + 1) / 2)
        case .explicit(let a, let b): (ph, pw) = (a, b)
        }
        let ho = (h + 2 * ph - (kh - 1) * at.dilationH - 1) / at.strideH + 1
        let wo = (wd + 2 * pw - (kw - 1) * at.dilationW - 1) / at.strideW + 1
        let og = o / at.groups
        precondition(c == cg * at.groups)
        var out = [Double](repeating: 0, count: n * o * ho * wo)
        for b0 in 0..<n { for oc in 0..<o { for i in 0..<ho { for j in 0..<wo {
            var sum = 0.0
            for ci in 0..<cg { for a in 0..<kh { for b in 0..<kw {
                let r = i * at.strideH + a * at.dilationH - ph, q = j * at.strideW + b * at.dilationW - pw
                guard r >= 0, r < h, q >= 0, q < wd else { continue }
                let (fa, fb) = at.filterFlip ? (kh - 1 - a, kw - 1 - b) : (a, b)
                let xv = x.values[((b0 * c + (oc / og) * cg + ci) * h + r) * wd + q]
                sum += xv * w.values[((oc * cg + ci) * kh + fa) * kw + fb]
            } } }
            out[((b0 * o + oc) * ho + i) * wo + j] = sum
        } } } }
        return RefArray(shape: [n, o, ho, wo], values: out)
    }

    /// Theano's `Pool.perform` over the last two axes: window i covers padded rows
    /// [i·st, min(i·st + ws, H + 2p)), restricted to [p, H + p) unless average_inc_pad.
    static func pool2d(_ x: RefArray, _ a: Pool2DAttributes) -> RefArray {
        let r = x.shape.count, (h, w) = (x.shape[r - 2], x.shape[r - 1])
        let planes = x.shape.dropLast(2).reduce(1, *)
        let ho = extent(h, a.windowH, a.strideH, a.padH, a.ignoreBorder)
        let wo = extent(w, a.windowW, a.strideW, a.padW, a.ignoreBorder)
        var out: [Double] = []
        for plane in 0..<planes { for i in 0..<ho { for j in 0..<wo {
            var rs = i * a.strideH, re = min(rs + a.windowH, h + 2 * a.padH)
            var cs = j * a.strideW, ce = min(cs + a.windowW, w + 2 * a.padW)
            if a.mode != .averageIncludingPadding {
                (rs, re) = (max(rs, a.padH), min(re, h + a.padH))
                (cs, ce) = (max(cs, a.padW), min(ce, w + a.padW))
            }
            var values: [Double] = []
            for pr in rs..<re { for pc in cs..<ce {
                let (rr, cc) = (pr - a.padH, pc - a.padW)
                values.append(rr >= 0 && rr < h && cc >= 0 && cc < w ? x.values[(plane * h + rr) * w + cc] : 0)
            } }
            out.append(a.mode == .max ? values.max()! : values.reduce(0, +) / Double(values.count))
        } } }
        return RefArray(shape: Array(x.shape.dropLast(2)) + [ho, wo], values: out)
    }

    /// Theano's `Pool.out_shape` for one axis.
    static func extent(_ n: Int, _ ws: Int, _ st: Int, _ pad: Int, _ ignoreBorder: Bool) -> Int {
        let padded = n + 2 * pad
        if ignoreBorder { return (padded - ws) / st + 1 }
        return st >= ws ? (padded - 1) / st + 1 : max(0, (padded - 1 - ws + st) / st) + 1
    }
}
