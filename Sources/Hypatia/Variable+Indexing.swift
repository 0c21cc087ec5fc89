import GraphIR
import TensorRuntime

/// A basic-slicing range along one axis, Python style: `Slice()` is the whole axis,
/// `Slice(start: -3)` the last three elements, `Slice(step: -1)` the axis reversed.
///
/// Negative bounds count from the end; out-of-range bounds are clamped; `step` must not be 0.
public struct Slice: Sendable, Hashable {
    public var start: Int?
    public var stop: Int?
    public var step: Int

    public init(start: Int? = nil, stop: Int? = nil, step: Int = 1) {
        self.start = start
        self.stop = stop
        self.step = step
    }
}

/// One component of a basic index: a single position (drops the axis) or a slice.
public enum IndexComponent: Sendable, Hashable {
    case index(Int)
    case slice(Slice)
}

/// Something that can index one axis of a variable: `Int`, Swift ranges over `Int`, `Slice`.
public protocol TensorIndex {
    /// The index this value stands for.
    var indexComponent: IndexComponent { get }
}

extension Int: TensorIndex {
    public var indexComponent: IndexComponent { .index(self) }
}

extension Slice: TensorIndex {
    public var indexComponent: IndexComponent { .slice(self) }
}

extension Range: TensorIndex where Bound == Int {
    public var indexComponent: IndexComponent { .slice(Slice(start: lowerBound, stop: upperBound)) }
}

extension ClosedRange: TensorIndex where Bound == Int {
    public var indexComponent: IndexComponent { .slice(Slice(start: lowerBound, stop: inclusiveStop(upperBound))) }
}

extension PartialRangeFrom: TensorIndex where Bound == Int {
    public var indexComponent: IndexComponent { .slice(Slice(start: lowerBound)) }
}

extension PartialRangeUpTo: TensorIndex where Bound == Int {
    public var indexComponent: IndexComponent { .slice(Slice(stop: upperBound)) }
}

extension PartialRangeThrough: TensorIndex where Bound == Int {
    public var indexComponent: IndexComponent { .slice(Slice(stop: inclusiveStop(upperBound))) }
}

/// The exclusive stop of an inclusive upper bound (`-1` inclusive is "to the end").
private func inclusiveStop(_ upper: Int) -> Int? {
    upper == -1 ? nil : upper + 1
}

extension Variable {
    /// Basic indexing and slicing, e.g. `x[2]`, `x[1..<3]`, `x[0..<2, 1]`, `x[Slice(step: -1)]`.
    public subscript(_ indices: any TensorIndex..., file file: String = #fileID, line line: Int = #line) -> Variable {
        Variable(basicIndex(node, indices, at: here(file, line)))
    }

    /// The whole variable (`x[...]`), e.g. as the target of `setSubtensor`.
    public subscript(_ all: UnboundedRange, file file: String = #fileID, line line: Int = #line) -> Variable {
        Variable(Build.slice(node, [.all], at: here(file, line)))
    }

    /// Integer-array indexing along the leading axes, e.g. `p[arange(n), y]`.
    public subscript(_ indices: Variable..., file file: String = #fileID, line line: Int = #line) -> Variable {
        Variable(Build.advancedIndex(node, indices.map(\.node), at: here(file, line)))
    }
}

/// The slice node for `indices`, or a node recording a zero step.
private func basicIndex(_ x: Node, _ indices: [any TensorIndex], at loc: SourceLocation) -> Node {
    var specs: [SliceSpec] = []
    for index in indices {
        switch index.indexComponent {
        case .index(let i): specs.append(.index(i))
        case .slice(let s):
            guard s.step != 0 else {
                let error = GraphError(.argument, op: "slice", "slice step must not be 0", at: loc)
                return Node.failed(error, type: x.type, inputs: [x], at: loc)
            }
            specs.append(.range(start: s.start, stop: s.stop, step: s.step))
        }
    }
    return Build.slice(x, specs, at: loc)
}

/// `x` with the part selected by `subtensor` (a slice or integer-array index of `x`) replaced
/// by `values` (Theano's set_subtensor): `setSubtensor(x[1..<3], y)`.
public func setSubtensor(_ subtensor: Variable, _ values: Variable, file: String = #fileID,
                         line: Int = #line) -> Variable {
    Variable(Build.setSubtensor(subtensor.node, values.node, accumulate: false, at: here(file, line)))
}

/// `x` with the part selected by `subtensor` replaced by a number.
public func setSubtensor(_ subtensor: Variable, _ value: Double, file: String = #fileID,
                         line: Int = #line) -> Variable {
    let loc = here(file, line)
    let values = Build.scalar(value, dtype: subtensor.dtype, at: loc)
    return Variable(Build.setSubtensor(subtensor.node, values, accumulate: false, at: loc))
}

/// `x` with `values` added to the part selected by `subtensor` (Theano's inc_subtensor);
/// repeated integer indices accumulate.
public func incSubtensor(_ subtensor: Variable, _ values: Variable, file: String = #fileID,
                         line: Int = #line) -> Variable {
    Variable(Build.setSubtensor(subtensor.node, values.node, accumulate: true, at: here(file, line)))
}

/// `x` with a number added to the part selected by `subtensor`.
public func incSubtensor(_ subtensor: Variable, _ value: Double, file: String = #fileID,
                         line: Int = #line) -> Variable {
    let loc = here(file, line)
    let values = Build.scalar(value, dtype: subtensor.dtype, at: loc)
    return Variable(Build.setSubtensor(subtensor.node, values, accumulate: true, at: loc))
}
