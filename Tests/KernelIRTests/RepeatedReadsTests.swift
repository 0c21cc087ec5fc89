import GraphIR
@testable import KernelIR
import Testing

/// How often an inline reader evaluates each input element: the count behind materializing
/// expensive operands of poolings and im2col.
@Suite struct RepeatedReadsTests {
    /// im2col reads an input row once per filter tap covering it: ⌈k / (s / gcd(s, d))⌉ per axis.
    @Test(arguments: [
        // (kernel, stride, dilation, expected per axis)
        (5, 1, 1, 5), (5, 2, 1, 3), (5, 2, 2, 5), (3, 3, 1, 1), (4, 2, 3, 2), (5, 4, 2, 3),
    ])
    func im2colTapsCoveringAnInputElement(_ row: (Int, Int, Int, Int)) {
        let (kernel, stride, dilation, perAxis) = row
        let x = Node.make(.input(name: "x", TensorType(.float32, [1, 1, 32, 32])), [], at: .internal)
        let conv = Conv2DAttributes(stride: (stride, stride), dilation: (dilation, dilation))
        let cols = Build.im2col(x, Im2colAttributes(conv, kernel: (kernel, kernel)), at: .internal)
        #expect(cols.error == nil)
        #expect(NodeFacts.readsPerElement(cols, input: 0) == perAxis * perAxis)
    }

    /// Elementwise readers read each element once.
    @Test func elementwiseReadsOnce() {
        let x = Node.make(.input(name: "x", TensorType(.float32, [4])), [], at: .internal)
        let y = Build.unary(.exp, x, at: .internal)
        #expect(NodeFacts.readsPerElement(y, input: 0) == 1)
    }
}
