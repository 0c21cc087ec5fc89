import TensorRuntime

/// Pattern-matching helpers the rewrite rules are written with.
extension Node {
    /// The ScalarOp of an elementwise node.
    package var scalarOp: ScalarOp? {
        if case .elementwise(let op) = op { return op }
        return nil
    }

    /// True if this node applies `scalarOp` elementwise.
    package func isElementwise(_ scalarOp: ScalarOp) -> Bool { self.scalarOp == scalarOp }

    /// The operands of a binary elementwise `scalarOp` node, or nil.
    package func operands(of scalarOp: ScalarOp) -> (Node, Node)? {
        guard self.scalarOp == scalarOp, inputs.count == 2 else { return nil }
        return (inputs[0], inputs[1])
    }

    /// The operand of a unary elementwise `scalarOp` node, or nil.
    package func operand(of scalarOp: ScalarOp) -> Node? {
        guard self.scalarOp == scalarOp, inputs.count == 1 else { return nil }
        return inputs[0]
    }

    /// True for a constant node.
    var isConstant: Bool {
        if case .constant = op { return true }
        return false
    }

    /// The one value every element has, if this node is a constant tensor filled with it (or a
    /// broadcast, reshape, dimshuffle, alloc or cast of one); nil otherwise.
    package var uniformValue: Double? {
        if case .constant(let value) = op {
            guard value.count > 0, value.count <= 4096 else { return nil }
            let first = value.double(at: 0)
            guard first == first else { return nil }   // NaN never compares equal
            return (1..<value.count).allSatisfy { value.double(at: $0) == first } ? first : nil
        }
        if op.passThrough == .view || op.passThrough == .fill { return inputs[0].uniformValue }
        if case .elementwise(.cast(let dtype)) = op, let v = inputs[0].uniformValue {
            return Tensor(v, dtype: inputs[0].type.dtype).converted(to: dtype).double(at: 0)
        }
        return nil
    }

    /// True if this node is a constant filled with `value`.
    func isUniform(_ value: Double) -> Bool { uniformValue == value }

    /// True for the canonical constant fill: a rank-0 constant, or a broadcast of one.
    var isCanonicalFill: Bool {
        if case .constant = op { return type.rank == 0 }
        if case .broadcast = op, case .constant = inputs[0].op { return inputs[0].type.rank == 0 }
        return false
    }

    /// The source of a positive-valued node that may underflow to zero (softmax, sigmoid, exp),
    /// looking through views and selections of it; nil for anything else.
    var positiveSource: Node? {
        if case .softmax = op { return self }
        if isElementwise(.sigmoid) || isElementwise(.exp) { return self }
        if op.passThrough == .view || op.passThrough == .selection { return inputs[0].positiveSource }
        return nil
    }

    /// True for an input or shared-variable leaf.
    var isParameter: Bool {
        if case .input = op { return true }
        if case .shared = op { return true }
        return false
    }
}

/// How a rule may look through an op to its first input.
enum PassThrough: Hashable {
    /// Rearranges or repeats all of input 0's elements: broadcast, reshape, dimshuffle.
    case view
    /// Picks some of input 0's elements: slice, advancedIndex (input 0 is the source).
    case selection
    /// Repeats the scalar input 0: alloc.
    case fill
    /// Anything else.
    case none
}

extension Op {
    /// How rules may look through this op (see `PassThrough`).
    var passThrough: PassThrough {
        switch self {
        case .broadcast, .reshape, .dimshuffle: return .view
        case .slice, .advancedIndex: return .selection
        case .alloc: return .fill
        case .input, .shared, .constant, .elementwise, .reduce, .argmax, .argmin, .dot, .batchedDot, .gemm,
             .concatenate, .setSlice, .setAdvancedIndex, .arange, .dimension, .softmax, .logSoftmax, .stopGradient,
             .conv2d, .conv2dGradInput, .conv2dGradFilters, .pool2d, .pool2dGrad, .pool2dGradGrad, .random,
             .im2col, .col2im:
            return .none
        }
    }
}

/// `Build` shorthands at the location of the node a rule replaces.
struct RuleBuilder {
    let loc: SourceLocation
    let context: RewriteContext

    init(_ node: Node, _ context: RewriteContext) {
        loc = node.location
        self.context = context
    }

    func unary(_ op: ScalarOp, _ x: Node) -> Node { Build.unary(op, x, at: loc) }
    func binary(_ op: ScalarOp, _ a: Node, _ b: Node) -> Node { Build.binary(op, a, b, at: loc) }
    func neg(_ x: Node) -> Node { unary(.neg, x) }
    func add(_ a: Node, _ b: Node) -> Node { binary(.add, a, b) }
    func sub(_ a: Node, _ b: Node) -> Node { binary(.sub, a, b) }
    func mul(_ a: Node, _ b: Node) -> Node { binary(.mul, a, b) }
    func div(_ a: Node, _ b: Node) -> Node { binary(.div, a, b) }

    /// A rank-0 constant of `dtype`.
    func scalar(_ value: Double, _ dtype: DType) -> Node { Build.scalar(value, dtype: dtype, at: loc) }

    /// `value` filled to `type` in canonical form (a broadcast scalar constant); nil if the
    /// shape has a size not known before the graph runs.
    func fill(_ value: Double, _ type: TensorType) -> Node? {
        guard context.isBound(type.shape) else { return nil }
        return Build.broadcast(scalar(value, type.dtype), to: type.shape, at: loc)
    }

    /// `value` filled like `x`: a broadcast scalar when x's shape is known before the graph
    /// runs, else an alloc sized by x's dimensions.
    func fill(_ value: Double, like x: Node) -> Node {
        fill(value, x.type) ?? Build.fill(like: x, value: value, dtype: nil, at: loc)
    }

    /// `x` op `c` with the scalar constant `c` broadcast to x's shape; nil if that shape is
    /// not known before the graph runs.
    func withConstant(_ op: ScalarOp, _ x: Node, _ c: Double) -> Node? {
        guard let filled = fill(c, x.type) else { return nil }
        return Node.make(.elementwise(op), [x, filled], at: loc)
    }
}
