import Dispatch
import Foundation
import Hypatia
import Synchronization
import Testing

/// Shared-variable updates written into the variable's own memory: values, copy-on-write,
/// atomicity of failed calls, concurrency, and agreement of the modes.
@Suite struct InPlaceUpdateTests {
    static let rows = 50, columns = 20

    /// Deterministic float32-representable values in [-1, 1).
    static func values(_ count: Int, seed: Int) -> [Double] {
        (0..<count).map { Double(($0 * 37 + seed * 11) % 64) / 32 - 1 }
    }

    static func matrixValue(seed: Int) throws -> Tensor {
        try f32([rows, columns], values(rows * columns, seed: seed))
    }

    /// `W ← W - 0.125·g` (plus `sum(W)` as an output, read before the update).
    static func sgd(_ W: SharedVariable, mode: Mode = .fastRun) throws -> CompiledFunction {
        let g = matrix("g", shape: [rows, columns])
        return try function(inputs: [g], outputs: [W.sum()], updates: [(W, W - 0.125 * g)], mode: mode, name: "sgd")
    }

    @Test func sgdStepWritesIntoTheVariablesMemory() throws {
        let W = shared(try Self.matrixValue(seed: 1), name: "W")
        let step = try Self.sgd(W)
        #expect(step.plan?.inPlaceArguments == [1], "\(step.dump(.kernels))")
        let dump = step.dump(.kernels)
        #expect(dump.contains("alias %b1 (written in place)") && dump.contains("... may write arguments [1]"),
                "\(dump)")
        let address = W.storageAddress
        var want = Self.values(Self.rows * Self.columns, seed: 1)
        for call in 0..<3 {
            let g = Self.values(want.count, seed: call + 5)
            let sum = try step(try f32([Self.rows, Self.columns], g))[0].scalar
            #expect(Swift.abs(sum - want.reduce(0, +)) <= 1e-3)
            want = zip(want, g).map { $0 - 0.125 * $1 }
            #expect(W.storageAddress == address, "call \(call) moved the variable's storage")
            #expect(close(W.value.scalars, want, tolerance: 1e-6))
        }
    }

    @Test func aValueTheUserHoldsIsNotChanged() throws {
        let W = shared(try Self.matrixValue(seed: 2), name: "W")
        let step = try Self.sgd(W)
        let g = try f32([Self.rows, Self.columns], Self.values(Self.rows * Self.columns, seed: 3))
        let old = W.value
        let before = old.scalars
        _ = try step(g)
        #expect(old.scalars == before, "the held value changed")
        #expect(W.value.scalars != before)
        let address = W.storageAddress  // the copy made for that call, now owned by W alone
        _ = try step(g)
        #expect(W.storageAddress == address)
        #expect(old.scalars == before)
    }

    /// A gather from an index input in the same call fails (its kernel runs before the moved
    /// update kernel), and a wrong-shaped input is refused: the variable keeps its bits and
    /// its memory.
    @Test func aFailedCallLeavesTheVariableUnchanged() throws {
        let W = shared(try Self.matrixValue(seed: 4), name: "W")
        let g = matrix("g", shape: [Self.rows, Self.columns]), v = vector("v"), i = vector("i", dtype: .int64)
        let step = try function(inputs: [g, v, i], outputs: [v[i]], updates: [(W, W - 0.125 * g)], name: "gather")
        #expect(step.plan?.inPlaceArguments == [3], "\(step.dump(.kernels))")
        let gValue = try Self.matrixValue(seed: 5), vValue = Tensor([Float(1), 2, 3])
        let bits = W.value.scalars(as: Float.self).map(\.bitPattern), address = W.storageAddress
        #expect(graphError { try step(gValue, vValue, Tensor([Int64(0), 7])) } != nil)
        #expect(graphError { try step(try f32([Self.rows, 3], Self.values(150, seed: 6)), vValue, Tensor([Int64(1)])) } != nil)
        #expect(W.value.scalars(as: Float.self).map(\.bitPattern) == bits)
        #expect(W.storageAddress == address)
        let picked = try step(gValue, vValue, Tensor([Int64(2), 0]))[0].scalars
        #expect(picked == [3, 1])
        #expect(W.storageAddress == address)
        #expect(close(W.value.scalars, zip(Self.values(1000, seed: 4), Self.values(1000, seed: 5)).map { $0 - 0.125 * $1 },
                      tolerance: 1e-6))
    }

    /// An update whose shape is only known at run time (here `m ← mean of x's rows`, declared
    /// [20]) is checked after the call: W must not be written in place before that check, so
    /// a call where the check fails leaves W's bits unchanged.
    @Test func anUpdateCheckedAfterTheCallKeepsOtherUpdatesOutOfPlace() throws {
        let W = shared(try Self.matrixValue(seed: 7), name: "W")
        let m = shared(Tensor(zeros: [Self.columns]), name: "m")
        let g = matrix("g", shape: [Self.rows, Self.columns]), x = matrix("x")
        let step = try function(inputs: [g, x], outputs: [], updates: [(W, W - 0.125 * g), (m, x.mean(axis: 0))])
        #expect(step.plan?.inPlaceArguments == [], "\(step.dump(.kernels))")
        let bits = W.value.scalars(as: Float.self).map(\.bitPattern)
        let wide = try f32([2, Self.columns + 1], Self.values(2 * (Self.columns + 1), seed: 8))
        #expect(graphError { try step(try Self.matrixValue(seed: 9), wide) } != nil)
        let unchanged = W.value.scalars(as: Float.self).map(\.bitPattern) == bits
        #expect(unchanged, "the failed call wrote W")
        _ = try step(try Self.matrixValue(seed: 9), try f32([2, Self.columns], Self.values(2 * Self.columns, seed: 8)))
        #expect(W.value.scalars(as: Float.self).map(\.bitPattern) != bits)
    }

    /// Eight threads add ones to W while others read it through a function without updates:
    /// every read sees one consistent value, and no increment is lost.
    @Test func concurrentCallsStayCorrect() throws {
        let W = shared(Tensor(zeros: [64]), name: "W")
        let add = try function(inputs: [], outputs: [], updates: [(W, W + 1.0)], name: "increment")
        let read = try function(inputs: [], outputs: [W * 1.0], name: "read")
        #expect(add.plan?.inPlaceArguments == [0])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for _ in 0..<50 {
                do {
                    if thread % 2 == 0 {
                        _ = try add()
                    } else {
                        let seen = try read()[0].scalars
                        if Set(seen).count != 1 { failures.withLock { $0.append("torn read \(seen)") } }
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 }.prefix(3))")
        #expect(W.value.scalars == Array(repeating: 200, count: 64))
    }

    /// A two-layer training step (the W2 benchmark's shape, small): every mode gives the same
    /// parameters after three steps; the fast run keeps the weights' memory.
    @Test(arguments: [Mode.debug, .interpret])
    func trainingStepsAgreeWithMode(_ other: Mode) throws {
        let (fast, fastParameters) = try Self.trainingStep(mode: .fastRun)
        let (slow, slowParameters) = try Self.trainingStep(mode: other)
        #expect(fast.plan?.inPlaceArguments.count == 2, "\(fast.dump(.kernels))")
        let accumulating = fast.dump(.kernels).split(separator: "\n").filter { $0.contains("gemm") && $0.contains("beta=1") }
        #expect(accumulating.count == 2, "the weight gradients accumulate into W1 and W2:\n\(fast.dump(.kernels))")
        let weights = [fastParameters[0], fastParameters[2]]  // the bias updates are fused with their sums
        let addresses = weights.map(\.storageAddress)
        let x = try f32([6, 12], Self.values(72, seed: 7)), y = Tensor([Int32(0), 3, 1, 2, 3, 0])
        for _ in 0..<3 {
            let a = try fast(x, y)[0].scalar, b = try slow(x, y)[0].scalar
            #expect(Swift.abs(a - b) <= 1e-5 * max(1, Swift.abs(b)))
        }
        #expect(weights.map(\.storageAddress) == addresses)
        for (p, q) in zip(fastParameters, slowParameters) {
            #expect(close(p.value.scalars, q.value.scalars, tolerance: 1e-5), "\(p.name)")
        }
    }

    static func trainingStep(mode: Mode) throws -> (CompiledFunction, [SharedVariable]) {
        let W1 = shared(try f32([12, 9], values(108, seed: 8).map { $0 / 4 }), name: "W1")
        let b1 = shared(Tensor(zeros: [9]), name: "b1")
        let W2 = shared(try f32([9, 4], values(36, seed: 9).map { $0 / 4 }), name: "W2")
        let b2 = shared(Tensor(zeros: [4]), name: "b2")
        let x = matrix("x", shape: [nil, 12]), y = vector("y", dtype: .int32)
        let h = tanh(dot(x, W1) + b1)
        let logp = logSoftmax(dot(h, W2) + b2, axis: 1)
        let loss = -logp[arange(y.shape[0]), y].mean()
        let parameters = [W1, b1, W2, b2]
        let grads = grad(loss, wrt: parameters)
        let step = try function(inputs: [x, y], outputs: [loss], updates: zip(parameters, grads).map { ($0, $0 - 0.5 * $1) },
                                mode: mode, name: "train")
        return (step, parameters)
    }
}
