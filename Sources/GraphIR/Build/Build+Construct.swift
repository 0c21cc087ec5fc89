import Foundation
import TensorRuntime

extension Build {
    /// `arange(start, stop, step)`; dtype nil = promoted dtype of the three scalars.
    ///
    /// The length is a constant when all three are constant, the `staticDim` expression when
    /// they are statically known sizes (e.g. `arange(0, x.shape[0], 1)` has length `?x0`), and
    /// otherwise a fresh symbol bound at run time.
    package static func arange(_ start: Node, _ stop: Node, _ step: Node, dtype: DType?,
                               at loc: SourceLocation) -> Node {
        let operands = [start, stop, step]
        if let bad = operands.first(where: { $0.type.rank != 0 }) {
            let message = "start, stop and step must be scalars, got \(bad.type)"
            return failure(GraphError(.shape, op: "arange", message), operands, at: loc)
        }
        let dtype = dtype ?? operands.dropFirst().reduce(start.type.dtype) { DType.promoted($0, $1.type.dtype) }
        guard dtype != .bool else {
            return failure(GraphError(.dtype, op: "arange", "cannot make a bool range"), operands, at: loc)
        }
        let length: Dim
        if let values = constantValues(operands, as: dtype) {
            guard values[2] != 0 else {
                return failure(GraphError(.argument, op: "arange", "step cannot be zero"), operands, at: loc)
            }
            length = .constant(max(0, Int(((values[1] - values[0]) / values[2]).rounded(.up))))
        } else {
            length = staticRangeLength(start, stop, step) ?? .symbol(.fresh(hint: "k"))
        }
        return Node.make(.arange(dtype, length: length), operands.map { cast($0, to: dtype, at: loc) }, at: loc)
    }

    /// The values of constant scalar nodes as they read in `dtype` (integers truncate).
    private static func constantValues(_ nodes: [Node], as dtype: DType) -> [Double]? {
        var values: [Double] = []
        for node in nodes {
            guard case .constant(let t) = node.op, t.count == 1 else { return nil }
            values.append(dtype.isFloatingPoint ? t.double(at: 0) : t.double(at: 0).rounded(.towardZero))
        }
        return values
    }

    /// `max(0, ceil((stop - start) / step))` for static sizes and a constant step.
    private static func staticRangeLength(_ start: Node, _ stop: Node, _ step: Node) -> Dim? {
        guard let a = staticDim(of: start), let b = staticDim(of: stop),
              let k = staticDim(of: step)?.constantValue, k != 0 else { return nil }
        let span = k > 0 ? b - a : a - b
        let magnitude = Swift.abs(k)
        return .max(0, magnitude == 1 ? span : .ceilDiv(span, .constant(magnitude)))
    }

    /// `value` broadcast to the extents given by int scalar nodes.
    package static func alloc(_ value: Node, dims: [Node], at loc: SourceLocation) -> Node {
        guard value.type.rank == 0 else {
            let message = "the fill value must be a scalar, got \(value.type)"
            return failure(GraphError(.shape, op: "alloc", message), [value] + dims, at: loc)
        }
        if let bad = dims.first(where: { $0.type.rank != 0 || !$0.type.dtype.isInteger }) {
            let message = "extents must be integer scalars, got \(bad.type)"
            return failure(GraphError(.dtype, op: "alloc", message), [value] + dims, at: loc)
        }
        let shape = dims.map { staticDim(of: $0) ?? .symbol(.fresh(hint: "k")) }
        return Node.make(.alloc(shape), [value] + dims.map { cast($0, to: .int64, at: loc) }, at: loc)
    }

    /// A tensor shaped like x filled with `value` (x's dtype unless given).
    package static func fill(like x: Node, value: Double, dtype: DType?, at loc: SourceLocation) -> Node {
        let filler = scalar(value, dtype: dtype ?? x.type.dtype, at: loc)
        if x.type.constantShape != nil { return broadcast(filler, to: x.type.shape, at: loc) }
        let extents = x.type.shape.enumerated().map { axis, d in
            d.constantValue.map { scalar(Double($0), dtype: .int64, at: loc) } ?? dimension(x, axis: axis, at: loc)
        }
        return alloc(filler, dims: extents, at: loc)
    }

    /// `x.shape[axis]` as an int64 scalar (negative axis counts from the end).
    package static func dimension(_ x: Node, axis: Int, at loc: SourceLocation) -> Node {
        do {
            return Node.make(.dimension(axis: try normalizeAxis(axis, of: x.type, op: "dimension")), [x], at: loc)
        } catch {
            return failure(error, [x], type: .scalar(.int64), at: loc)
        }
    }

    /// The Dim an int scalar node stands for when it is statically known (constants, dimension
    /// queries, casts between int types, and +,-,* of those); nil otherwise.
    package static func staticDim(of scalar: Node) -> Dim? {
        guard scalar.error == nil, scalar.type.rank == 0, scalar.type.dtype.isInteger else { return nil }
        if case .constant(let value) = scalar.op { return .constant(Int(value.int64(at: 0))) }
        if case .dimension(let axis) = scalar.op { return scalar.inputs[0].type.shape[axis] }
        guard case .elementwise(let op) = scalar.op else { return nil }
        if case .cast = op { return staticDim(of: scalar.inputs[0]) }
        guard scalar.inputs.count == 2, let a = staticDim(of: scalar.inputs[0]),
              let b = staticDim(of: scalar.inputs[1]) else { return nil }
        if op == .add { return a + b }
        if op == .sub { return a - b }
        if op == .mul { return a * b }
        return nil
    }
}
