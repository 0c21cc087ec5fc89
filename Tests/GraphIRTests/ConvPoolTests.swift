import Testing
import TensorRuntime
@testable import GraphIR

/// pool2d forward against Theano's algorithm written as direct loops, hand-computed edge
/// cases, the first-maximum gradient rule, and type errors.
@Suite struct ConvPoolTests {
    static let rows: [Pool2DAttributes] = {
        var rows: [Pool2DAttributes] = []
        for mode in PoolMode.allCases {
            rows += [
                Pool2DAttributes(mode: mode, window: (2, 2)),
                Pool2DAttributes(mode: mode, window: (2, 2), ignoreBorder: false),
                Pool2DAttributes(mode: mode, window: (3, 2), stride: (1, 2), ignoreBorder: false),
                Pool2DAttributes(mode: mode, window: (3, 3), stride: (2, 2), ignoreBorder: false),
                Pool2DAttributes(mode: mode, window: (3, 3), stride: (2, 1), padding: (1, 1)),
                Pool2DAttributes(mode: mode, window: (2, 3), stride: (1, 1), padding: (1, 2)),
                Pool2DAttributes(mode: mode, window: (1, 1), stride: (3, 2)),
            ]
        }
        return rows
    }()

    /// Odd sizes (5×7), rank 3 and 4, every mode, partial border windows, padding.
    @Test(arguments: rows)
    func matchesTheanoLoops(_ a: Pool2DAttributes) throws {
        for shape in [[2, 3, 5, 7], [2, 5, 7]] {
            let x = ConvRef.random(shape, seed: 9)
            let expected = ConvRef.pool2d(x, a)
            let result = try IT.eval(.pool2d(a), [x.tensor()])
            #expect(IT.matches(result, expected.tensor(), tolerance: 1e-12), "\(a.attributeList) \(shape)")
        }
    }

    /// 5×5 arange, 2×2 windows: ignoreBorder false keeps the partial last row and column.
    @Test func partialWindows() throws {
        let x = IT.t([1, 1, 5, 5], (0..<25).map(Double.init))
        let maxFull = try IT.eval(.pool2d(Pool2DAttributes(mode: .max, window: (2, 2), ignoreBorder: false)), [x])
        #expect(maxFull.scalars == [6, 8, 9, 16, 18, 19, 21, 23, 24])
        let maxCut = try IT.eval(.pool2d(Pool2DAttributes(mode: .max, window: (2, 2))), [x])
        #expect(maxCut.scalars == [6, 8, 16, 18])
        let avg = try IT.eval(.pool2d(Pool2DAttributes(mode: .averageIncludingPadding, window: (2, 2),
                                                       ignoreBorder: false)), [x])
        #expect(avg.scalars == [3, 5, 6.5, 13, 15, 16.5, 20.5, 22.5, 24])
    }

    /// Padding (1,1), 3×3 windows, stride 2 on a 3×3 ones input: including padding divides by 9.
    @Test func averageModesWithPadding() throws {
        let x = IT.t([1, 1, 3, 3], Array(repeating: 1, count: 9))
        let inc = Pool2DAttributes(mode: .averageIncludingPadding, window: (3, 3), stride: (2, 2), padding: (1, 1))
        #expect(try IT.eval(.pool2d(inc), [x]).scalars == [4.0 / 9, 4.0 / 9, 4.0 / 9, 4.0 / 9])
        let exc = Pool2DAttributes(mode: .averageExcludingPadding, window: (3, 3), stride: (2, 2), padding: (1, 1))
        #expect(try IT.eval(.pool2d(exc), [x]).scalars == [1, 1, 1, 1])
    }

    /// Max pooling's gradient goes to the first maximum of each window (ties included).
    @Test func maxGradientGoesToFirstMaximum() throws {
        let x = IT.t([1, 1, 2, 4], [1, 3, 5, 5, 3, 2, 5, 5])
        let gy = IT.t([1, 1, 1, 2], [10, 20])
        let a = Pool2DAttributes(mode: .max, window: (2, 2))
        let gx = try IT.eval(.pool2dGrad(a), [x, gy])
        #expect(gx.scalars == [0, 10, 20, 0, 0, 0, 0, 0])
    }

    /// Overlapping windows accumulate.
    @Test func overlappingMaxGradientAccumulates() throws {
        let x = IT.t([1, 1, 1, 3], [0, 9, 1])
        let a = Pool2DAttributes(mode: .max, window: (1, 2), stride: (1, 1))
        #expect(try IT.eval(.pool2dGrad(a), [x, IT.t([1, 1, 1, 2], [1, 2])]).scalars == [0, 3, 0])
    }

    @Test(arguments: [
        (Pool2DAttributes(mode: .max, window: (2, 2), stride: (0, 1)), [1, 1, 4, 4], "bad stride"),
        (Pool2DAttributes(mode: .max, window: (2, 2), padding: (2, 0)), [1, 1, 4, 4], "smaller than the window"),
        (Pool2DAttributes(mode: .max, window: (3, 3), padding: (1, 1), ignoreBorder: false), [1, 1, 4, 4],
         "padding needs ignoreBorder"),
        (Pool2DAttributes(mode: .max, window: (5, 2)), [1, 1, 4, 4], "larger than the padded input"),
        (Pool2DAttributes(mode: .max, window: (2, 2)), [4], "rank ≥ 2"),
    ])
    func typedErrors(_ a: Pool2DAttributes, _ shape: [Int], _ fragment: String) throws {
        let x = IT.input("x", .float32, shape.map { Dim.constant($0) })
        let error = try #require(Build.pool2d(x, a, at: IT.loc).error)
        #expect(error.op == "pool2d")
        #expect(error.message.contains(fragment), "\(error.message)")
        #expect(error.location == IT.loc)
    }
}
