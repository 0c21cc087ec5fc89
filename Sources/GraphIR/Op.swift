import Foundation
import TensorRuntime

/// A reduction applied over axes by `Op.reduce`.
package enum Reduction: String, Hashable, Sendable, CaseIterable {
    case sum, prod, max, min, mean
}

/// One axis of a basic slice: `x[3]` (drops the axis) or `x[start..<stop by step]`.
///
/// Indices follow Python: negative ones count from the end, out-of-range bounds are clamped.
package enum SliceSpec: Hashable, Sendable, CustomStringConvertible {
    case index(Int)
    case range(start: Int?, stop: Int?, step: Int)

    /// The whole axis.
    package static let all = SliceSpec.range(start: nil, stop: nil, step: 1)

    package var description: String {
        switch self {
        case .index(let i): return String(i)
        case .range(let start, let stop, let step):
            let s = start.map(String.init) ?? "", e = stop.map(String.init) ?? ""
            return step == 1 ? "\(s):\(e)" : "\(s):\(e):\(step)"
        }
    }
}

/// The operation of a graph node. Closed: every rule over ops is an exhaustive switch.
///
/// Inputs are listed per case; "result" means the node's `TensorType`.
package enum Op: Hashable, Sendable {
    // MARK: Leaves (no inputs)
    /// A symbolic input named by the user, with its declared type.
    case input(name: String, TensorType)
    /// A shared variable; its value lives in the storage, read when a function is called.
    case shared(SharedStorage)
    /// A constant value.
    case constant(Tensor)

    // MARK: Elementwise
    /// `ScalarOp` applied elementwise; all inputs have the result's shape (dims unify).
    case elementwise(ScalarOp)
    /// Input x (rank ≤ result rank, aligned at the trailing axes like numpy) repeated along
    /// missing and size-1 axes to the given shape; its other dims unify with the target's.
    case broadcast([Dim])

    // MARK: Reductions
    /// Input x reduced over sorted, distinct, non-negative `axes` (all axes if it lists all).
    /// sum/prod of integers and bools give int64; mean gives x's dtype if float, else floatX.
    case reduce(Reduction, axes: [Int], keepDims: Bool)
    /// Index (int64) of the first maximum along `axis`.
    case argmax(axis: Int, keepDims: Bool)
    /// Index (int64) of the first minimum along `axis`.
    case argmin(axis: Int, keepDims: Bool)

    // MARK: Linear algebra
    /// numpy `dot` for ranks ≤ 2: (k)(k)→(), (m,k)(k)→(m), (k)(k,n)→(n), (m,k)(k,n)→(m,n).
    case dot
    /// (b,m,k)(b,k,n)→(b,m,n).
    case batchedDot
    /// BLAS gemm on float matrices: inputs c, alpha, a, b, beta (alpha and beta scalars) give
    /// `beta·c + alpha·op(a)·op(b)`, where op transposes a (b) when `transA` (`transB`); op(a) is
    /// (m,k), op(b) (k,n), c and the result (m,n). Made by the optimizer from dot + add/scale.
    case gemm(transA: Bool, transB: Bool)

    // MARK: Shape
    /// Input x viewed with the given shape (same element count; no -1 left).
    case reshape([Dim])
    /// Theano's DimShuffle: entry i of the result is input axis `pattern[i]`, or a new size-1
    /// axis for nil; input axes not listed must have constant size 1 and are dropped.
    case dimshuffle([Int?])
    /// Inputs joined along `axis` (all other dims unify).
    case concatenate(axis: Int)
    /// Input x sliced with one spec per leading axis (missing trailing specs = whole axis).
    case slice([SliceSpec])
    /// Inputs x, idx_0..idx_{k-1}: integer index tensors (same shape S after the builder
    /// broadcasts them) picking along x's first k axes; result shape S + x.shape[k...].
    /// Negative indices count from the end; out-of-range ones are a run-time error.
    case advancedIndex
    /// Inputs x, values: x with `x[specs]` replaced (accumulate false) or incremented by values
    /// (values have the sliced shape).
    case setSlice([SliceSpec], accumulate: Bool)
    /// Inputs x, values, idx_0..idx_{k-1}: x with `x[idx]` replaced or incremented (repeated
    /// indices accumulate when `accumulate`). values have advancedIndex's result shape.
    case setAdvancedIndex(accumulate: Bool)

    // MARK: Construction and shape queries
    /// Inputs start, stop, step (scalars of the dtype); result [length] with element
    /// i = start + i*step, where length = max(0, ceil((stop - start) / step)) at run time.
    case arange(DType, length: Dim)
    /// Inputs value (scalar), then one int scalar per axis giving the run-time extents; result
    /// is value broadcast to the shape (the dims must equal the extents at run time).
    case alloc([Dim])
    /// x.shape[axis] as an int64 scalar.
    case dimension(axis: Int)

    // MARK: Neural-network primitives (numerically stable)
    case softmax(axis: Int)
    case logSoftmax(axis: Int)
    /// Inputs x (N,C,H,W), filters (O,C/groups,kh,kw) of one float dtype → (N,O,H',W') with
    /// H' = (H + 2ph - ((kh-1)·dh+1)) / sh + 1 (floor); see `Conv2DAttributes` (flip by default).
    case conv2d(Conv2DAttributes)
    /// Inputs x, filters, gy (conv2d's operands and output cotangent) → the gradient for x
    /// (x's type; only x's shape is read). The adjoint of conv2d in x.
    case conv2dGradInput(Conv2DAttributes)
    /// Inputs x, filters, gy → the gradient for the filters (filters' type; only the filters'
    /// shape is read). The adjoint of conv2d in the filters.
    case conv2dGradFilters(Conv2DAttributes)
    /// Input x (rank ≥ 2, float) pooled over its last two axes; see `Pool2DAttributes`.
    case pool2d(Pool2DAttributes)
    /// Inputs x, gy (pool2d's operand and output cotangent) → the gradient for x (x's type).
    /// Max pooling routes each gy to the first maximum of its window (row-major order).
    case pool2dGrad(Pool2DAttributes)
    /// Inputs x, h (h shaped like x) → pool2d's output shape: for max pooling, h at the first
    /// maximum of x in each window (the adjoint of `pool2dGrad` in gy); for average modes, the
    /// average of h (pool2d(h)).
    case pool2dGradGrad(Pool2DAttributes)
    /// Input x (N,C,H,W), float → the convolution columns (G, C/G, kh, kw, N, H', W') (see
    /// `Im2colAttributes`); made by the lowering of conv2d.
    case im2col(Im2colAttributes)
    /// Input cols (im2col's result for an image of shape `image`) → the image: the adjoint of
    /// im2col (every entry added back to the position it was read from).
    case col2im(Im2colAttributes, image: [Dim])

    // MARK: Random
    /// Inputs counter (an int64 scalar, the random stream's call count), then one int scalar
    /// per axis giving the run-time extents → draws from the distribution (see
    /// `RandomAttributes`). No gradient flows to the counter.
    case random(RandomAttributes)

    // MARK: Autodiff
    /// Identity whose gradient is zero (Theano's `consider_constant`).
    case stopGradient
}

/// The mutable value behind a shared variable: identity and ownership, guarded by a lock.
package final class SharedStorage: Hashable, @unchecked Sendable {
    package let name: String
    /// The static type fixed at creation (dims of the first value are constant except where
    /// the user allowed them to vary).
    package let type: TensorType
    private let mutex = NSLock()
    private var _value: Tensor
    private var _defaultUpdate: Node?

    package init(name: String, type: TensorType, value: Tensor) {
        self.name = name
        self.type = type
        _value = value
    }

    /// The current value.
    package var value: Tensor {
        get { lock(); defer { unlock() }; return _value }
        set { lock(); defer { unlock() }; _value = newValue }
    }

    /// The value a compiled function assigns after each call when the user gives no explicit
    /// update (Theano's `default_update`, e.g. a random stream's counter + 1). The node reads
    /// this storage, a reference cycle kept for the storage's lifetime.
    package var defaultUpdate: Node? {
        get { lock(); defer { unlock() }; return _defaultUpdate }
        set { lock(); defer { unlock() }; _defaultUpdate = newValue }
    }

    /// Default updates that apply only where the graph reads this storage through one
    /// particular node (an alias made by `SharedVariable.alias`), keyed by that node, which
    /// is kept alive here so its identifier is never reused.
    private var _aliasUpdates: [ObjectIdentifier: (alias: Node, update: Node)] = [:]

    /// Gives the reads of this storage through `alias` their own default update (Theano's
    /// default update on a clone of a shared variable, as Lasagne's batch norm uses).
    package func setDefaultUpdate(_ update: Node, forAlias alias: Node) {
        lock(); defer { unlock() }
        _aliasUpdates[ObjectIdentifier(alias)] = (alias, update)
    }

    /// The default update for a read through `node`: the alias's own, else the storage's.
    package func defaultUpdate(readThrough node: Node) -> Node? {
        lock(); defer { unlock() }
        return _aliasUpdates[ObjectIdentifier(node)]?.update ?? _defaultUpdate
    }

    /// Takes the lock (function calls lock every shared storage they touch, in `id` order).
    package func lock() { mutex.lock() }

    /// Releases the lock.
    package func unlock() { mutex.unlock() }

    /// Reads the value while the caller already holds the lock.
    package var valueWhileLocked: Tensor { _value }

    /// True if no tensor but the value itself holds its storage (the caller holds the lock):
    /// a compiled call may then write the update into that storage (copy-on-write).
    package func valueStorageIsUniqueWhileLocked() -> Bool { _value.hasUniqueStorage() }

    /// Writes the value while the caller already holds the lock.
    package func setValueWhileLocked(_ v: Tensor) { _value = v }

    package static func == (a: SharedStorage, b: SharedStorage) -> Bool { a === b }
    package func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
