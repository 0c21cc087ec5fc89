import Foundation
import Hypatia
import Synchronization
import Testing

/// Updates, givens, argument conversion and concurrency of compiled functions.
@Suite struct FunctionTests {
    @Test func failedCallLeavesSharedValuesUnchanged() throws {
        let W = shared(try f32([3], [1, 2, 3]), name: "W")
        let count = shared(Tensor(0, dtype: .int64), name: "count")
        let idx = vector("idx", dtype: .int64)
        let (picked, line) = (W[idx], #line)
        let f = try function(inputs: [idx], outputs: [picked], updates: [(W, W * 2), (count, count + 1)])
        #expect(try f(Tensor([0, 2]))[0].scalars == [1, 3])
        #expect(W.value.scalars == [2, 4, 6] && count.value.scalars == [1])
        let e = try #require(graphError { try f(Tensor([1, 7])) })      // index 7 is out of range
        #expect(e.kind == .runtime && e.location == at(line))
        #expect(W.value.scalars == [2, 4, 6] && count.value.scalars == [1])
    }

    @Test func updatesReadPreUpdateValues() throws {
        let a = shared(try f32([2], [1, 2]), name: "a")
        let b = shared(try f32([2], [3, 4]), name: "b")
        let swap = try function(inputs: [], outputs: [a + b], updates: [(a, b), (b, a)])
        #expect(try swap()[0].scalars == [4, 6])
        #expect(a.value.scalars == [3, 4] && b.value.scalars == [1, 2])
        _ = try swap()
        #expect(a.value.scalars == [1, 2] && b.value.scalars == [3, 4])
    }

    @Test func givensReplaceAnInputBySharedSlice() throws {
        let data = shared(try f32([4, 2], [1, 2, 3, 4, 5, 6, 7, 8]), name: "data")
        let x = matrix("x", shape: [nil, 2])
        let rowSums = x.sum(axis: 1)
        let middle = try function(inputs: [], outputs: [rowSums], givens: [(x, data[1..<3])])
        #expect(try middle()[0].scalars == [7, 11])
        let idx = vector("idx", dtype: .int32)
        let batch = try function(inputs: [idx], outputs: [rowSums * 2], givens: [(x, data[idx])])
        #expect(try batch(Tensor([Int32(3), 0]))[0].scalars == [30, 6])
        let bias = shared(try f32([2], [10, 20]), name: "bias")
        let shifted = try function(inputs: [], outputs: [x + bias, zerosLike(x) + 1],
                                   givens: [(x, data[2...])])
        let out = try shifted()
        #expect(out[0].shape == [2, 2] && out[0].scalars == [15, 26, 17, 28])
        #expect(out[1].shape == [2, 2] && out[1].scalars == [1, 1, 1, 1])
    }

    @Test func unusedInputsAreAllowed() throws {
        let x = vector("x"), unused = matrix("unused", dtype: .int32)
        let f = try function(inputs: [x, unused], outputs: [x.sum()])
        #expect(try f(try f32([2], [1, 2]), Tensor(zeros: [1, 1], dtype: .int32))[0].scalar == 3)
        #expect(graphError { try f(try f32([2], [1, 2]), Tensor(zeros: [1, 1])) }?.kind == .input)
    }

    @Test func swiftScalarArguments() throws {
        let a = scalar("a"), n = scalar("n", dtype: .int32), flag = scalar("flag", dtype: .bool)
        let f = try function(inputs: [a, n, flag], outputs: [select(flag, a * cast(n, to: .float32), -a)])
        let out = try f(Float(2.5), 3, true)[0]
        #expect(out.dtype == .float32 && out.shape == [] && out.scalar == 7.5)
        #expect(try f(0.5, Int32(4), false)[0].scalar == -0.5)
        #expect(try f(1, 1, Tensor(true))[0].scalar == 1)
    }

    @Test func dumpShowsTheInternedGraph() throws {
        let x = vector("x")
        let data = shared(try f32([2], [1, 2]), name: "data")
        let f = try function(inputs: [x], outputs: [exp(x) + exp(x) + data])   // one exp after interning
        #expect(close(try f(try f32([2], [0, 1])).first!.scalars, [3, 2 * M_E + 2]))
        let text = f.dump(.graph)
        #expect(text.components(separatedBy: "exp").count == 2, "\(text)")
        #expect(text.contains("data") && text.contains("add"), "\(text)")
        let W = shared(try f32([2], [1, 2]), name: "W")
        let step = try function(inputs: [x], outputs: [dot(x, W)], updates: [(W, W * 0.5)], name: "step")
        let stepText = step.dump(.graph)
        #expect(stepText.contains("graph @step(") && stepText.contains("dot") && stepText.contains("updates %W = "),
                "\(stepText)")
    }

    @Test func concurrentCalls() throws {
        let x = vector("x")
        let counter = shared(Tensor(0, dtype: .float64), name: "counter")
        let f = try function(inputs: [x], outputs: [x * 2 + 1], updates: [(counter, counter + 1)])
        let peek = try function(inputs: [x], outputs: [counter + cast(x.sum(), to: .float64)])   // no updates
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for i in 0..<50 {
                do {
                    let v = Float(thread * 100 + i)
                    let out = try f(Tensor([v, -v]))[0].scalars
                    if out != [Double(2 * v + 1), Double(-2 * v + 1)] { failures.withLock { $0.append("\(out)") } }
                    let seen = try peek(Tensor([Float(0.5)]))[0].scalar - 0.5
                    if seen < 1 || seen > 200 || seen != seen.rounded() { failures.withLock { $0.append("\(seen)") } }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        #expect(counter.value.scalar == 200)
    }
}
