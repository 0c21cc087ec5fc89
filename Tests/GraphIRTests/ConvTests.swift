import Testing
import TensorRuntime
@testable import GraphIR

/// conv2d forward against direct float64 loops, and its type rule's errors.
@Suite struct ConvForwardTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let border: ConvBorderMode, stride: (Int, Int), dilation: (Int, Int), groups: Int, flip: Bool
        var attrs: Conv2DAttributes {
            Conv2DAttributes(borderMode: border, stride: stride, dilation: dilation, groups: groups, filterFlip: flip)
        }
        var testDescription: String { attrs.attributeList.joined(separator: " ") }
    }

    static let rows: [Row] = {
        var rows: [Row] = []
        for border in [ConvBorderMode.valid, .full, .half, .explicit(1, 2)] {
            for stride in [(1, 1), (2, 2), (2, 1)] {
                for dilation in [(1, 1), (2, 2)] {
                    for groups in [1, 2] {
                        for flip in [true, false] {
                            rows.append(Row(border: border, stride: stride, dilation: dilation, groups: groups,
                                            flip: flip))
                        }
                    }
                }
            }
        }
        return rows
    }()

    /// Every border mode, stride 1 and 2, dilation 1 and 2, groups 1 and 2, with and without flip.
    @Test(arguments: rows)
    func matchesDirectConvolution(_ row: Row) throws {
        let x = ConvRef.random([2, 4, 7, 6], seed: 3), w = ConvRef.random([4, 4 / row.groups, 3, 2], seed: 5)
        let expected = ConvRef.conv2d(x, w, row.attrs)
        let result = try IT.eval(.conv2d(row.attrs), [x.tensor(), w.tensor()])
        #expect(result.shape == expected.shape)
        #expect(IT.matches(result, expected.tensor(), tolerance: 1e-12))
        let result32 = try IT.eval(.conv2d(row.attrs), [x.tensor(.float32), w.tensor(.float32)])
        #expect(IT.matches(result32, expected.tensor(.float32), tolerance: 1e-5))
    }

    /// The type rule's output shape agrees with the evaluated shape, also for symbolic H and W.
    @Test func symbolicShapes() throws {
        let a = Conv2DAttributes(borderMode: .half, stride: (2, 2), dilation: (1, 2))
        let x = IT.input("x", .float64, [IT.sym("n"), .constant(3), IT.sym("h"), IT.sym("w")])
        let w = IT.input("w", .float64, [5, 3, 3, 3].map { Dim.constant($0) })
        let y = try IT.node(.conv2d(a), [x, w])
        let xv = ConvRef.random([2, 3, 9, 8], seed: 1), wv = ConvRef.random([5, 3, 3, 3], seed: 2)
        let out = try IT.run([x, w], [y], [xv.tensor(), wv.tensor()])[0]
        #expect(IT.matches(out, ConvRef.conv2d(xv, wv, a).tensor(), tolerance: 1e-12))
    }

    /// Shape errors are typed and name the shapes.
    @Test(arguments: [
        (Conv2DAttributes(), [1, 3, 5, 5], [2, 2, 3, 3], "channel mismatch"),
        (Conv2DAttributes(groups: 2), [1, 4, 5, 5], [3, 2, 3, 3], "not divisible by 2 groups"),
        (Conv2DAttributes(), [1, 1, 2, 5], [1, 1, 3, 3], "filter larger than padded input"),
        (Conv2DAttributes(dilation: (3, 1)), [1, 1, 6, 6], [1, 1, 3, 3], "filter larger than padded input"),
        (Conv2DAttributes(stride: (0, 1)), [1, 1, 5, 5], [1, 1, 3, 3], "stride (0, 1)"),
        (Conv2DAttributes(borderMode: .explicit(-1, 0)), [1, 1, 5, 5], [1, 1, 3, 3], "padding (-1, 0)"),
        (Conv2DAttributes(), [1, 5, 5], [1, 1, 3, 3], "rank 4"),
    ])
    func typedErrors(_ a: Conv2DAttributes, _ xs: [Int], _ ws: [Int], _ fragment: String) throws {
        let x = IT.input("x", .float32, xs.map { Dim.constant($0) })
        let w = IT.input("w", .float32, ws.map { Dim.constant($0) })
        let node = Build.conv2d(x, w, a, at: IT.loc)
        let error = try #require(node.error)
        #expect(error.op == "conv2d")
        #expect(error.kind == (fragment.hasPrefix("stride") || fragment.hasPrefix("padding") ? .argument : .shape))
        #expect(error.message.contains(fragment), "\(error.message)")
        #expect(error.location == IT.loc)
        if fragment == "channel mismatch" { #expect(error.message.contains("f32[1,3,5,5]")) }
    }

    /// Mixed float dtypes and int operands: ints are cast to floatX, float32 vs float64 is an error.
    @Test func dtypes() throws {
        let x = IT.input("x", .float64, [1, 1, 4, 4].map { Dim.constant($0) })
        let w = IT.input("w", .float32, [1, 1, 2, 2].map { Dim.constant($0) })
        let error = try #require(Build.conv2d(x, w, Conv2DAttributes(), at: IT.loc).error)
        #expect(error.kind == .dtype)
        let xi = IT.input("xi", .int32, [1, 1, 4, 4].map { Dim.constant($0) })
        #expect(Build.conv2d(xi, w, Conv2DAttributes(), at: IT.loc).type.dtype == .float32)
    }

    /// The printer shows the attributes.
    @Test func printedAttributes() {
        let a = Conv2DAttributes(borderMode: .explicit(1, 2), stride: (2, 1), groups: 2)
        #expect(a.attributeList == ["border=(1,2)", "stride=[2,1]", "dilation=[1,1]", "groups=2", "flip=true"])
    }
}
