/// A dense, row-major, n-dimensional array: Hypatia's run-time value.
///
/// `Tensor` is a copy-on-write value type over 64-byte aligned storage. Its element type is a
/// run-time `DType`; typed access goes through `scalars(as:)` and the `withUnsafe...` methods.
public struct Tensor: Sendable {
    /// The extent of each axis; `[]` for a scalar.
    public let shape: [Int]
    /// The element type.
    public let dtype: DType
    /// The bytes; shared between copies until one of them writes.
    package private(set) var storage: TensorStorage

    /// Number of elements (1 for a scalar, 0 if any extent is 0).
    public var count: Int { shape.reduce(1, *) }
    /// Number of axes.
    public var rank: Int { shape.count }

    /// A zero-filled tensor. Extents must be non-negative (a programming error otherwise, like
    /// `Array(repeating:count:)` with a negative count).
    public init(zeros shape: [Int], dtype: DType = .float32) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor(zeros:): negative extent in \(shape)")
        self.shape = shape
        self.dtype = dtype
        storage = TensorStorage(byteCount: shape.reduce(1, *) * dtype.byteSize)
    }

    /// A tensor of the given shape filled with `value` (converted to `dtype`).
    public init(repeating value: Double, shape: [Int], dtype: DType = .float32) {
        self.init(zeros: shape, dtype: dtype)
        if value != 0 { fill(with: value) }
    }

    /// A tensor filled with ones.
    public init(ones shape: [Int], dtype: DType = .float32) {
        self.init(repeating: 1, shape: shape, dtype: dtype)
    }

    /// A tensor from row-major scalars; the dtype is the Swift type's (`[Float]` → float32,
    /// `[Int]` → int64). Throws if the count does not match the shape.
    public init<T: TensorScalar>(shape: [Int], scalars: [T]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError(.shape, "negative extent in shape \(shape)")
        }
        let expected = shape.reduce(1, *)
        guard expected == scalars.count else {
            throw TensorError(.scalarCount, "shape \(shape) holds \(expected) scalars, got \(scalars.count)")
        }
        self.init(zeros: shape, dtype: T.dtype)
        scalars.withUnsafeBytes { storage.pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    /// A tensor from row-major Double values converted to `dtype`. Throws on a count mismatch.
    public init(shape: [Int], values: [Double], dtype: DType) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError(.shape, "negative extent in shape \(shape)")
        }
        let expected = shape.reduce(1, *)
        guard expected == values.count else {
            throw TensorError(.scalarCount, "shape \(shape) holds \(expected) scalars, got \(values.count)")
        }
        self.init(zeros: shape, dtype: dtype)
        for (i, v) in values.enumerated() { setDouble(v, at: i) }
    }

    /// A rank-1 tensor of the given scalars.
    public init<T: TensorScalar>(_ scalars: [T]) {
        // The count always matches a rank-1 shape.
        try! self.init(shape: [scalars.count], scalars: scalars)
    }

    /// A scalar (rank-0) tensor of the Swift value's dtype.
    public init<T: TensorScalar>(_ value: T) {
        try! self.init(shape: [], scalars: [value])
    }

    /// A scalar (rank-0) tensor; float32 unless another dtype is given, so `Tensor(0.1)`
    /// feeds a float32 `scalar("lr")`.
    public init(_ value: Double, dtype: DType = .float32) {
        self.init(repeating: value, shape: [], dtype: dtype)
    }

    /// True if no other tensor shares this tensor's storage (a write would not copy it).
    package mutating func hasUniqueStorage() -> Bool { isKnownUniquelyReferenced(&storage) }

    /// Wraps existing storage (internal: the caller guarantees the byte count).
    package init(shape: [Int], dtype: DType, storage: TensorStorage) {
        precondition(storage.byteCount >= shape.reduce(1, *) * dtype.byteSize, "storage too small")
        self.shape = shape
        self.dtype = dtype
        self.storage = storage
    }
}

// MARK: - Raw access

extension Tensor {
    /// Calls `body` with the raw bytes (read only).
    public func withUnsafeRawBuffer<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.pointer, count: count * dtype.byteSize))
    }

    /// Calls `body` with the raw bytes for writing, copying the storage first if it is shared.
    public mutating func withUnsafeMutableRawBuffer<R>(
        _ body: (UnsafeMutableRawBufferPointer) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return try body(UnsafeMutableRawBufferPointer(start: storage.pointer, count: count * dtype.byteSize))
    }

    /// Typed read access; `T.dtype` must equal `dtype` (a programming error otherwise).
    public func withUnsafeBufferPointer<T: TensorScalar, R>(
        as type: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R
    ) rethrows -> R {
        precondition(T.dtype == dtype, "withUnsafeBufferPointer(as: \(T.self)) on a \(dtype) tensor")
        return try body(UnsafeBufferPointer(start: storage.pointer.assumingMemoryBound(to: T.self), count: count))
    }

    /// Typed write access (copy on write); `T.dtype` must equal `dtype`.
    public mutating func withUnsafeMutableBufferPointer<T: TensorScalar, R>(
        as type: T.Type, _ body: (UnsafeMutableBufferPointer<T>) throws -> R
    ) rethrows -> R {
        precondition(T.dtype == dtype, "withUnsafeMutableBufferPointer(as: \(T.self)) on a \(dtype) tensor")
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let n = count
        return try body(UnsafeMutableBufferPointer(start: storage.pointer.assumingMemoryBound(to: T.self), count: n))
    }
}

// MARK: - Element access through the Double / Int64 lanes

extension Tensor {
    /// The element at flat index `i` as a Double.
    @inline(__always)
    public func double(at i: Int) -> Double {
        let p = storage.pointer
        switch dtype {
        case .float32: return Double(p.load(fromByteOffset: i * 4, as: Float.self))
        case .float64: return p.load(fromByteOffset: i * 8, as: Double.self)
        case .int32: return Double(p.load(fromByteOffset: i * 4, as: Int32.self))
        case .int64: return Double(p.load(fromByteOffset: i * 8, as: Int64.self))
        case .uint8: return Double(p.load(fromByteOffset: i, as: UInt8.self))
        case .bool: return p.load(fromByteOffset: i, as: UInt8.self) != 0 ? 1 : 0
        }
    }

    /// The element at flat index `i` as an Int64 (floats truncate toward zero).
    @inline(__always)
    public func int64(at i: Int) -> Int64 {
        let p = storage.pointer
        switch dtype {
        case .float32: return truncatingInt64(Double(p.load(fromByteOffset: i * 4, as: Float.self)))
        case .float64: return truncatingInt64(p.load(fromByteOffset: i * 8, as: Double.self))
        case .int32: return Int64(p.load(fromByteOffset: i * 4, as: Int32.self))
        case .int64: return p.load(fromByteOffset: i * 8, as: Int64.self)
        case .uint8: return Int64(p.load(fromByteOffset: i, as: UInt8.self))
        case .bool: return p.load(fromByteOffset: i, as: UInt8.self) != 0 ? 1 : 0
        }
    }

    /// Stores `value` converted to the dtype at flat index `i` (copy on write).
    @inline(__always)
    public mutating func setDouble(_ value: Double, at i: Int) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let p = storage.pointer
        switch dtype {
        case .float32: p.storeBytes(of: Float(value), toByteOffset: i * 4, as: Float.self)
        case .float64: p.storeBytes(of: value, toByteOffset: i * 8, as: Double.self)
        case .int32: p.storeBytes(of: Int32(fromDouble: value), toByteOffset: i * 4, as: Int32.self)
        case .int64: p.storeBytes(of: Int64(fromDouble: value), toByteOffset: i * 8, as: Int64.self)
        case .uint8: p.storeBytes(of: UInt8(fromDouble: value), toByteOffset: i, as: UInt8.self)
        case .bool: p.storeBytes(of: UInt8(value != 0 ? 1 : 0), toByteOffset: i, as: UInt8.self)
        }
    }

    /// Stores `value` converted to the dtype at flat index `i` (copy on write).
    @inline(__always)
    public mutating func setInt64(_ value: Int64, at i: Int) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let p = storage.pointer
        switch dtype {
        case .float32: p.storeBytes(of: Float(value), toByteOffset: i * 4, as: Float.self)
        case .float64: p.storeBytes(of: Double(value), toByteOffset: i * 8, as: Double.self)
        case .int32: p.storeBytes(of: Int32(truncatingIfNeeded: value), toByteOffset: i * 4, as: Int32.self)
        case .int64: p.storeBytes(of: value, toByteOffset: i * 8, as: Int64.self)
        case .uint8: p.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: i, as: UInt8.self)
        case .bool: p.storeBytes(of: UInt8(value != 0 ? 1 : 0), toByteOffset: i, as: UInt8.self)
        }
    }

    /// Sets every element to `value` converted to the dtype.
    public mutating func fill(with value: Double) {
        for i in 0..<count { setDouble(value, at: i) }
    }

    /// All elements, row-major, as Doubles (exact for every dtype except int64 beyond 2^53).
    public var scalars: [Double] { (0..<count).map { double(at: $0) } }

    /// All elements, row-major, converted to `T`.
    public func scalars<T: TensorScalar>(as type: T.Type) -> [T] {
        if T.dtype == dtype { return withUnsafeBufferPointer(as: T.self) { Array($0) } }
        if dtype.isFloatingPoint { return (0..<count).map { T(fromDouble: double(at: $0)) } }
        return (0..<count).map { T(fromInt64: int64(at: $0)) }
    }

    /// The single element of a one-element tensor, as a Double (NaN if the tensor is empty
    /// or holds more than one element).
    public var scalar: Double { count == 1 ? double(at: 0) : .nan }
}

// MARK: - Equality and hashing (by dtype, shape and bytes)

extension Tensor: Equatable, Hashable {
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.dtype == rhs.dtype, lhs.shape == rhs.shape else { return false }
        if lhs.storage === rhs.storage { return true }
        return lhs.withUnsafeRawBuffer { a in rhs.withUnsafeRawBuffer { b in a.elementsEqual(b) } }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(dtype)
        hasher.combine(shape)
        withUnsafeRawBuffer { hasher.combine(bytes: $0) }
    }
}
