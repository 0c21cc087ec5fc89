import Testing
import TensorRuntime
@testable import GraphIR

/// The internal im2col / col2im ops: reference evaluation from the definition, adjointness,
/// conv2d as a product over the columns, vjp rules and type errors.
@Suite struct Im2colTests {
    static let cases: [(Conv2DAttributes, [Int], (Int, Int))] = [
        (Conv2DAttributes(), [2, 2, 5, 6], (3, 2)),
        (Conv2DAttributes(borderMode: .full, filterFlip: false), [1, 2, 4, 3], (2, 3)),
        (Conv2DAttributes(borderMode: .half, stride: (2, 2), groups: 2), [2, 4, 5, 5], (3, 3)),
        (Conv2DAttributes(borderMode: .explicit(1, 0), stride: (2, 1), dilation: (2, 2), filterFlip: false),
         [1, 3, 7, 6], (2, 2)),
    ]

    /// Case k: its convolution, input shape, kernel size and im2col attributes.
    static func setup(_ k: Int) -> (Conv2DAttributes, [Int], (Int, Int), Im2colAttributes) {
        let (conv, shape, kernel) = cases[k]
        return (conv, shape, kernel, Im2colAttributes(conv, kernel: kernel))
    }

    /// im2col(x)[g,c,fa,fb,n,i,j] = x[n, g·cg + c, i·sh + a·dh - ph, j·sw + b·dw - pw] (0 outside)
    /// with (a, b) the flipped taps when the convolution flips.
    @Test(arguments: cases.indices)
    func im2colMatchesDefinition(_ k: Int) throws {
        let (conv, shape, kernel, a) = Self.setup(k)
        let x = ConvRef.random(shape, seed: 1)
        let cols = try IT.eval(.im2col(a), [x.tensor()])
        let padding = a.padding, (ph, pw) = (padding.0.constantValue!, padding.1.constantValue!)
        let s = cols.shape, (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        #expect(s[0] == conv.groups && s[1] == c / conv.groups && s[2] == kernel.0 && s[3] == kernel.1 && s[4] == n)
        var flat = 0, mismatches = 0
        for g in 0..<s[0] { for ch in 0..<s[1] { for fa in 0..<s[2] { for fb in 0..<s[3] {
            for image in 0..<n { for i in 0..<s[5] { for j in 0..<s[6] {
                let (ta, tb) = conv.filterFlip ? (kernel.0 - 1 - fa, kernel.1 - 1 - fb) : (fa, fb)
                let r = i * conv.strideH + ta * conv.dilationH - ph, q = j * conv.strideW + tb * conv.dilationW - pw
                let inside = r >= 0 && r < h && q >= 0 && q < w
                let expected = inside ? x.values[((image * c + g * s[1] + ch) * h + r) * w + q] : 0
                if cols.double(at: flat) != expected { mismatches += 1 }
                flat += 1
            } } }
        } } } }
        #expect(mismatches == 0 && flat == cols.count)
    }

    /// col2im is the adjoint of im2col: ⟨im2col(x), k⟩ = ⟨x, col2im(k)⟩.
    @Test(arguments: cases.indices)
    func col2imIsAdjoint(_ k: Int) throws {
        let (conv, shape, kernel, a) = Self.setup(k)
        let x = ConvRef.random(shape, seed: 2)
        let cols = try IT.eval(.im2col(a), [x.tensor()])
        let probe = ConvRef.random(cols.shape, seed: 3)
        let back = try IT.eval(.col2im(a, image: shape.map { .constant($0) }), [probe.tensor()])
        #expect(back.shape == shape)
        let lhs = zip(cols.scalars, probe.values).map(*).reduce(0, +)
        let rhs = zip(x.values, back.scalars).map(*).reduce(0, +)
        #expect(abs(lhs - rhs) < 1e-12, "\(lhs) vs \(rhs)")
    }

    /// conv2d(x, w) = (w as (G, O/G, R)) · (im2col(x) as (G, R, N·H'·W')), then NCHW.
    @Test(arguments: cases.indices)
    func convIsAProductOverColumns(_ k: Int) throws {
        let (conv, shape, kernel) = Self.cases[k]
        let groups = conv.groups, o = 2 * groups
        let x = ConvRef.random(shape, seed: 4), w = ConvRef.random([o, shape[1] / groups, kernel.0, kernel.1], seed: 5)
        let cols = try IT.eval(.im2col(Im2colAttributes(conv, kernel: kernel)), [x.tensor()])
        let y = ConvRef.conv2d(x, w, conv)
        let rows = cols.shape[1] * cols.shape[2] * cols.shape[3], pixels = cols.shape[4] * cols.shape[5] * cols.shape[6]
        let og = o / groups, plane = cols.shape[5] * cols.shape[6]
        var worst = 0.0
        for g in 0..<groups { for oc in 0..<og { for p in 0..<pixels {
            var sum = 0.0
            for r in 0..<rows { sum += w.values[(g * og + oc) * rows + r] * cols.double(at: (g * rows + r) * pixels + p) }
            let (image, rest) = p.quotientAndRemainder(dividingBy: plane)
            worst = max(worst, abs(sum - y.values[(image * o + g * og + oc) * plane + rest]))
        } } }
        #expect(worst < 1e-12)
    }

    /// The vjp of im2col is col2im and that of col2im is im2col (central differences).
    @Test(arguments: cases.indices)
    func gradients(_ k: Int) throws {
        let (conv, shape, kernel, a) = Self.setup(k)
        try adCheckGradients([GradArg.random("x", shape, seed: 6)]) { v in Build.im2col(v[0], a, at: adHere) }
        let colsShape = try IT.eval(.im2col(a), [ConvRef.random(shape, seed: 7).tensor()]).shape
        try adCheckGradients([GradArg.random("c", colsShape, seed: 8)]) { v in
            Build.col2im(v[0], a, image: shape.map { .constant($0) }, at: adHere)
        }
    }

    /// Type errors: a non-image input, channels not divisible by the groups, columns of the
    /// wrong shape for col2im.
    @Test func typeErrors() {
        let a = Im2colAttributes(Conv2DAttributes(groups: 2), kernel: (2, 2))
        let matrix = IT.input("m", .float32, [3, 4]), odd = IT.input("x", .float32, [1, 3, 4, 4])
        #expect(Build.im2col(matrix, a, at: IT.loc).error?.kind == .shape)
        #expect(Build.im2col(odd, a, at: IT.loc).error?.message.contains("divisible") == true)
        let cols = IT.input("c", .float32, [2, 1, 2, 2, 1, 3, 4])
        let image: [Dim] = [1, 2, 4, 4]
        #expect(Build.col2im(cols, a, image: image, at: IT.loc).error?.kind == .shape)
        #expect(Build.col2im(cols, a, image: [1, 2, 4, 5], at: IT.loc).type.shape == [1, 2, 4, 5])
    }
}
