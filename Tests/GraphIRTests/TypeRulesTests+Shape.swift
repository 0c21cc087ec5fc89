import Testing
import TensorRuntime
@testable import GraphIR

@Suite struct ShapeTypeRuleTests {
    static let valid: [ValidRow] = [
        ValidRow(.reshape([symN, 784]), [tt(.float32, [symN, 28, 28])], tt(.float32, [symN, 784])),
        ValidRow(.reshape([symM, 784]), [tt(.float32, [symN, 784])], tt(.float32, [symM, 784])),
        ValidRow(.reshape([6]), [tt(.int32, [2, 3])], tt(.int32, [6])),
        ValidRow(.reshape([]), [tt(.int32, [1, 1])], tt(.int32, [])),
        ValidRow(.dimshuffle([1, 0]), [tt(.float32, [2, 3])], tt(.float32, [3, 2])),
        ValidRow(.dimshuffle([nil, 0, 1]), [tt(.float32, [2, symN])], tt(.float32, [1, 2, symN])),
        ValidRow(.dimshuffle([0]), [tt(.float32, [2, 1])], tt(.float32, [2])),
        ValidRow(.dimshuffle([]), [tt(.float32, [1, 1])], tt(.float32, [])),
        ValidRow(.concatenate(axis: 0), [tt(.float32, [2, 3]), tt(.float32, [symN, 3])], tt(.float32, [symN + 2, 3])),
        ValidRow(.concatenate(axis: 1), [tt(.float32, [symN, 3]), tt(.float32, [4, 1]), tt(.float32, [symM, 2])],
                 tt(.float32, [4, 6])),
        ValidRow(.concatenate(axis: 0), [tt(.bool, [2])], tt(.bool, [2])),
    ]

    static let invalid: [InvalidRow] = [
        InvalidRow(.reshape([3, 3]), [tt(.float32, [10])], .shape, ["f32[10]", "f32[3,3]", "10 != 9"]),
        InvalidRow(.reshape([symN, 785]), [tt(.float32, [symN, 784])], .shape, ["f32[?n,784]"]),
        InvalidRow(.reshape([-1, 784]), [tt(.float32, [symN, 784])], .argument, ["negative"]),
        InvalidRow(.dimshuffle([0]), [tt(.float32, [2, 3])], .shape, ["axis 1", "f32[2,3]"]),
        InvalidRow(.dimshuffle([0]), [tt(.float32, [2, symN])], .shape, ["axis 1"]),
        InvalidRow(.dimshuffle([0, 0]), [tt(.float32, [2])], .argument, ["twice"]),
        InvalidRow(.dimshuffle([2]), [tt(.float32, [2, 1])], .argument, ["axis 2"]),
        InvalidRow(.concatenate(axis: 0), [tt(.float32, [2, 3]), tt(.float32, [2, 4])], .shape, ["3 != 4"]),
        InvalidRow(.concatenate(axis: 0), [tt(.float32, [2, 3]), tt(.float32, [3])], .shape, ["ranks"]),
        InvalidRow(.concatenate(axis: 0), [tt(.float32, [2]), tt(.float64, [2])], .dtype, ["f64[2]"]),
        InvalidRow(.concatenate(axis: 1), [tt(.float32, [2]), tt(.float32, [2])], .argument, ["axis 1"]),
        InvalidRow(.concatenate(axis: 0), [], .argument, ["at least 1"]),
    ]

    @Test(arguments: valid) func validTypes(row: ValidRow) throws { try checkValid(row) }
    @Test(arguments: invalid) func invalidTypes(row: InvalidRow) { checkInvalid(row) }
}

@Suite struct IndexTypeRuleTests {
    static let valid: [ValidRow] = [
        ValidRow(.slice([.index(1)]), [tt(.float32, [3, 4])], tt(.float32, [4])),
        ValidRow(.slice([.index(-3)]), [tt(.float32, [3, 4])], tt(.float32, [4])),
        ValidRow(.slice([.index(5)]), [tt(.float32, [symN, 4])], tt(.float32, [4])),
        ValidRow(.slice([.all, .range(start: 1, stop: nil, step: 1)]), [tt(.float32, [symN, 4])], tt(.float32, [symN, 3])),
        ValidRow(.slice([.range(start: nil, stop: nil, step: -1)]), [tt(.int32, [symN])], tt(.int32, [symN])),
        ValidRow(.slice([.range(start: -3, stop: nil, step: 1)]), [tt(.int32, [symN])], tt(.int32, [.min(3, symN)])),
        ValidRow(.slice([.range(start: 1, stop: nil, step: 1)]), [tt(.int32, [symN])], tt(.int32, [.max(0, symN - 1)])),
        ValidRow(.slice([.range(start: 2, stop: 100, step: 3)]), [tt(.int32, [10])], tt(.int32, [3])),
        ValidRow(.advancedIndex, [tt(.float32, [5, 3]), tt(.int64, [symN])], tt(.float32, [symN, 3])),
        ValidRow(.advancedIndex, [tt(.float32, [5, 3]), tt(.int64, [symN]), tt(.int32, [symN])], tt(.float32, [symN])),
        ValidRow(.advancedIndex, [tt(.float32, [5, 3]), tt(.int64, [2, 2])], tt(.float32, [2, 2, 3])),
        ValidRow(.setSlice([.index(0)], accumulate: false), [tt(.float32, [3, 4]), tt(.float32, [4])], tt(.float32, [3, 4])),
        ValidRow(.setSlice([.all, .range(start: nil, stop: 2, step: 1)], accumulate: true),
                 [tt(.float32, [symN, 4]), tt(.float32, [symM, 2])], tt(.float32, [symN, 4])),
        ValidRow(.setAdvancedIndex(accumulate: true), [tt(.float32, [5, 3]), tt(.float32, [symN, 3]), tt(.int64, [symN])],
                 tt(.float32, [5, 3])),
    ]

    static let invalid: [InvalidRow] = [
        InvalidRow(.slice([.index(3)]), [tt(.float32, [3, 4])], .argument, ["index 3", "axis 0", "f32[3,4]"]),
        InvalidRow(.slice([.all, .index(-5)]), [tt(.float32, [3, 4])], .argument, ["index -5", "axis 1"]),
        InvalidRow(.slice([.range(start: nil, stop: nil, step: 0)]), [tt(.float32, [3])], .argument, ["zero"]),
        InvalidRow(.slice([.all, .all]), [tt(.float32, [3])], .argument, ["rank 1"]),
        InvalidRow(.advancedIndex, [tt(.float32, [5, 3]), tt(.float32, [2])], .dtype, ["f32[2]"]),
        InvalidRow(.advancedIndex, [tt(.float32, [5, 3]), tt(.int64, [2]), tt(.int64, [3])], .shape, ["2 != 3"]),
        InvalidRow(.advancedIndex, [tt(.float32, [5]), tt(.int64, [2]), tt(.int64, [2])], .argument, ["rank 1"]),
        InvalidRow(.advancedIndex, [tt(.float32, [5])], .argument, ["at least 2"]),
        InvalidRow(.setSlice([.index(0)], accumulate: false), [tt(.float32, [3, 4]), tt(.float32, [5])], .shape,
                   ["values f32[5]", "selection f32[4]", "5 != 4"]),
        InvalidRow(.setSlice([.index(0)], accumulate: false), [tt(.float32, [3, 4]), tt(.float64, [4])], .dtype,
                   ["f64[4]"]),
        InvalidRow(.setAdvancedIndex(accumulate: false), [tt(.float32, [5, 3]), tt(.float32, [2]), tt(.int64, [2])],
                   .shape, ["f32[2]"]),
    ]

    @Test(arguments: valid) func validTypes(row: ValidRow) throws { try checkValid(row) }
    @Test(arguments: invalid) func invalidTypes(row: InvalidRow) { checkInvalid(row) }

    /// Python's `slice.indices` length, the reference for `SliceSpec.length`.
    static func pythonLength(_ start: Int?, _ stop: Int?, _ step: Int, _ symN: Int) -> Int {
        func clamp(_ i: Int, _ lo: Int, _ hi: Int) -> Int { i < 0 ? max(i + symN, lo) : min(i, hi) }
        if step > 0 {
            let a = start.map { clamp($0, 0, symN) } ?? 0, b = stop.map { clamp($0, 0, symN) } ?? symN
            return max(0, (b - a + step - 1) / step)
        }
        let a = start.map { clamp($0, -1, symN - 1) } ?? symN - 1, b = stop.map { clamp($0, -1, symN - 1) } ?? -1
        return max(0, (a - b - step - 1) / -step)
    }

    @Test(arguments: [-3, -2, -1, 1, 2, 3])
    func sliceLengthsMatchPythonForConstantAndSymbolicSizes(step: Int) {
        let bounds: [Int?] = [nil] + Array(-8...8)
        let symbol = DimSymbol(id: -9, hint: "s")
        for size in 0...6 {
            for start in bounds {
                for stop in bounds {
                    let expected = Self.pythonLength(start, stop, step, size)
                    let constant = SliceSpec.length(start: start, stop: stop, step: step, of: .constant(size))
                    #expect(constant == .constant(expected), "[\(start ?? 99):\(stop ?? 99):\(step)] of \(size)")
                    let symbolic = SliceSpec.length(start: start, stop: stop, step: step, of: .symbol(symbol))
                    #expect(symbolic.evaluate([symbol: size]) == expected,
                            "[\(start ?? 99):\(stop ?? 99):\(step)] of ?s=\(size): \(symbolic)")
                }
            }
        }
    }
}

@Suite struct ConstructionTypeRuleTests {
    static let storage = SharedStorage(name: "W", type: tt(.float32, [784, 10]), value: Tensor(zeros: [784, 10]))

    static let valid: [ValidRow] = [
        ValidRow(.input(name: "x", tt(.float32, [symN, 3])), [], tt(.float32, [symN, 3])),
        ValidRow(.shared(storage), [], tt(.float32, [784, 10])),
        ValidRow(.constant(Tensor(zeros: [2, 3], dtype: .int32)), [], tt(.int32, [2, 3])),
        ValidRow(.arange(.int64, length: 5), [tt(.int64, []), tt(.int64, []), tt(.int64, [])], tt(.int64, [5])),
        ValidRow(.arange(.float32, length: symN), [tt(.float32, []), tt(.float32, []), tt(.float32, [])], tt(.float32, [symN])),
        ValidRow(.alloc([symN, 3]), [tt(.float32, []), tt(.int64, []), tt(.int32, [])], tt(.float32, [symN, 3])),
        ValidRow(.alloc([]), [tt(.bool, [])], tt(.bool, [])),
        ValidRow(.dimension(axis: 1), [tt(.float32, [2, symN])], tt(.int64, [])),
        ValidRow(.softmax(axis: 1), [tt(.float32, [symN, 10])], tt(.float32, [symN, 10])),
        ValidRow(.logSoftmax(axis: 0), [tt(.float64, [10])], tt(.float64, [10])),
        ValidRow(.stopGradient, [tt(.int32, [2])], tt(.int32, [2])),
    ]

    static let invalid: [InvalidRow] = [
        InvalidRow(.input(name: "x", tt(.float32, [])), [tt(.float32, [])], .argument, ["0 operands"]),
        InvalidRow(.arange(.int64, length: 5), [tt(.float32, []), tt(.int64, []), tt(.int64, [])], .dtype, ["f32[]"]),
        InvalidRow(.arange(.int64, length: 5), [tt(.int64, [2]), tt(.int64, []), tt(.int64, [])], .dtype, ["i64[2]"]),
        InvalidRow(.arange(.bool, length: 5), [tt(.bool, []), tt(.bool, []), tt(.bool, [])], .dtype, ["bool"]),
        InvalidRow(.alloc([symN, 3]), [tt(.float32, []), tt(.int64, [])], .argument, ["3 operands"]),
        InvalidRow(.alloc([3]), [tt(.float32, [2]), tt(.int64, [])], .shape, ["f32[2]"]),
        InvalidRow(.alloc([3]), [tt(.float32, []), tt(.float32, [])], .dtype, ["f32[]"]),
        InvalidRow(.dimension(axis: 2), [tt(.float32, [2, 3])], .argument, ["axis 2"]),
        InvalidRow(.softmax(axis: 0), [tt(.int32, [3])], .dtype, ["i32[3]"]),
        InvalidRow(.logSoftmax(axis: 1), [tt(.float32, [3])], .argument, ["axis 1"]),
        InvalidRow(.stopGradient, [], .argument, ["1 operand"]),
    ]

    @Test(arguments: valid) func validTypes(row: ValidRow) throws { try checkValid(row) }
    @Test(arguments: invalid) func invalidTypes(row: InvalidRow) { checkInvalid(row) }
}
