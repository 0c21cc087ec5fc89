import Hypatia
import Testing

/// Every user mistake is a typed GraphError with the right kind and the caller's line.
@Suite struct ErrorTests {
    let x = matrix("x", shape: [nil, 3])
    let y = vector("y")

    @Test func wrongInputCount() throws {
        let f = try function(inputs: [x, y], outputs: [x.sum() + y.sum()])
        let (error, line) = (graphError { try f(Tensor(zeros: [2, 3])) }, #line)
        let e = try #require(error)
        #expect(e.kind == .input && e.op == "call" && e.location == at(line))
        #expect(e.message.contains("expects 2") && e.message.contains("got 1"))
    }

    @Test func wrongInputDtype() throws {
        let f = try function(inputs: [x], outputs: [x.sum()])
        let (error, line) = (graphError { try f(Tensor(zeros: [2, 3], dtype: .float64)) }, #line)
        let e = try #require(error)
        #expect(e.kind == .input && e.location == at(line))
        #expect(e.message.contains("\"x\"") && e.message.contains("float32") && e.message.contains("float64"))
    }

    @Test func wrongStaticDimAndRank() throws {
        let f = try function(inputs: [x], outputs: [x.sum()])
        let (dimError, dimLine) = (graphError { try f.call([Tensor(zeros: [2, 4])]) }, #line)
        let d = try #require(dimError)
        #expect(d.kind == .input && d.location == at(dimLine))
        #expect(d.message.contains("\"x\"") && d.message.contains("axis 1") && d.message.contains("3")
                && d.message.contains("4"))
        let (rankError, rankLine) = (graphError { try f(Tensor(zeros: [6])) }, #line)
        let r = try #require(rankError)
        #expect(r.kind == .input && r.location == at(rankLine) && r.message.contains("rank"))
    }

    @Test func inexactSwiftScalarForIntegerInput() throws {
        let n = scalar("n", dtype: .int32)
        let f = try function(inputs: [n], outputs: [n * 2])
        #expect(try f(3)[0] == Tensor(Int32(6)))
        let (error, line) = (graphError { try f(2.5) }, #line)
        #expect(error?.kind == .input && error?.location == at(line))
    }

    @Test func missingInput() throws {
        let (error, line) = (graphError { try function(inputs: [x], outputs: [x.sum() + y.sum()]) }, #line)
        let e = try #require(error)
        #expect(e.kind == .missingInput && e.op == "function" && e.location == at(line))
        #expect(e.message.contains("\"y\""))
    }

    @Test func duplicateAndNonInputInputs() throws {
        let (dup, dupLine) = (graphError { try function(inputs: [x, x], outputs: [x.sum()]) }, #line)
        #expect(dup?.kind == .argument && dup?.location == at(dupLine))
        let W = shared(Tensor(zeros: [3]), name: "W")
        let (sh, shLine) = (graphError { try function(inputs: [x, W], outputs: [x.sum()]) }, #line)
        #expect(sh?.kind == .argument && sh?.location == at(shLine))
        let (computed, cLine) = (graphError { try function(inputs: [x * 2], outputs: [x.sum()]) }, #line)
        #expect(computed?.kind == .argument && computed?.location == at(cLine))
    }

    @Test func updateWithWrongDtypeShapeOrTwice() throws {
        let W = shared(Tensor(zeros: [3]), name: "W")
        let wide = W + constant(1, dtype: .float64)      // promoted to float64: not auto-cast back
        let (dtype, dLine) = (graphError { try function(inputs: [], outputs: [], updates: [(W, wide)]) }, #line)
        #expect(dtype?.kind == .invalidUpdate && dtype?.location == at(dLine))
        #expect(dtype?.message.contains("float64") == true)
        let v = shared(Tensor(zeros: [4]), name: "v")
        let (shape, sLine) = (graphError { try function(inputs: [], outputs: [], updates: [(W, v * 2)]) }, #line)
        #expect(shape?.kind == .invalidUpdate && shape?.location == at(sLine))
        let (twice, tLine) = (graphError {
            try function(inputs: [], outputs: [], updates: [(W, W + 1), (W, W - 1)]) }, #line)
        #expect(twice?.kind == .invalidUpdate && twice?.location == at(tLine))
    }

    @Test func setValueChecksDtypeAndShape() throws {
        let W = shared(Tensor(zeros: [2, 2]), name: "W")
        let (dtype, dLine) = (graphError { try W.setValue(Tensor(zeros: [2, 2], dtype: .float64)) }, #line)
        #expect(dtype?.kind == .dtype && dtype?.location == at(dLine))
        let (shape, sLine) = (graphError { try W.setValue(Tensor(zeros: [2, 3])) }, #line)
        #expect(shape?.kind == .shape && shape?.location == at(sLine))
        #expect(W.value == Tensor(zeros: [2, 2]))
        try W.setValue(Tensor(ones: [2, 2]))
        #expect(W.value == Tensor(ones: [2, 2]))
    }

    @Test func buildTimeShapeMismatchReportedByFunction() throws {
        let W = shared(Tensor(zeros: [4, 2]), name: "W")
        let (h, line) = (dot(x, W), #line)                 // (?, 3) · (4, 2)
        let cost = tanh(h).sum()
        let e = try #require(graphError { try function(inputs: [x], outputs: [cost]) })
        #expect(e.kind == .shape && e.op == "dot" && e.location == at(line))
        #expect(graphError { try cost.check() } == e)
    }

    @Test func runTimeMismatchOfSymbolicDims() throws {
        let a = vector("a"), b = vector("b")
        let (c, line) = (maximum(a, b), #line)
        let f = try function(inputs: [a, b], outputs: [c])
        #expect(try f(Tensor([Float(1), 5]), Tensor([Float(3), 2]))[0].scalars == [3, 5])
        let e = try #require(graphError { try f(Tensor([Float(1), 2, 3]), Tensor([Float(1), 2])) })
        #expect(e.kind == .shape && e.location == at(line))
    }

    @Test func constructorAndDimshuffleMistakesAreRecorded() throws {
        let (m, mLine) = (matrix("m", shape: [3]), #line)
        let e = try #require(graphError { try m.check() })
        #expect(e.kind == .argument && e.location == at(mLine))
        let (d, dLine) = (y.dimshuffle(0, "y"), #line)
        let de = try #require(graphError { try d.check() })
        #expect(de.kind == .argument && de.location == at(dLine) && de.message.contains("\"y\""))
        let (s, sLine) = (y[Slice(step: 0)], #line)
        #expect(graphError { try s.check() }?.location == at(sLine))
    }

    @Test func givenWithWrongTypeIsRejected() throws {
        let data = shared(Tensor(zeros: [4, 2]), name: "data")
        let (e, line) = (graphError { try function(inputs: [], outputs: [x.sum()], givens: [(x, data)]) }, #line)
        #expect(e?.kind == .argument && e?.location == at(line))
        let d64 = shared(Tensor(zeros: [4, 3], dtype: .float64), name: "d64")
        #expect(graphError { try function(inputs: [], outputs: [x.sum()], givens: [(x, d64)]) }?.kind == .argument)
    }

    /// Swift operators cannot capture `#line`: an operator's error names the latest line among
    /// its operands' locations.
    @Test func operatorErrorsNameTheLatestOperandsLine() throws {
        let a = vector("a", shape: [3])
        let (b, line) = (vector("b", shape: [4]), #line)
        let c = a * 2 + b
        let e = try #require(graphError { try c.check() })
        #expect(e.kind == .shape && e.location == at(line))
    }
}
