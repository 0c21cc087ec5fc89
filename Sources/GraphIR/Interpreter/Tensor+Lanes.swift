import TensorRuntime

/// Bulk conversion between tensors and the interpreter's two arithmetic lanes: `Double` for
/// floating dtypes and `Int64` (wrapping) for integer and bool dtypes.
extension Tensor {
    /// The elements, row-major, as Doubles (exact for every dtype except int64 beyond 2^53).
    func doubleLane() -> [Double] {
        switch dtype {
        case .float32: return withUnsafeBufferPointer(as: Float.self) { $0.map { Double($0) } }
        case .float64: return withUnsafeBufferPointer(as: Double.self) { Array($0) }
        case .int32: return withUnsafeBufferPointer(as: Int32.self) { $0.map { Double($0) } }
        case .int64: return withUnsafeBufferPointer(as: Int64.self) { $0.map { Double($0) } }
        case .uint8: return withUnsafeBufferPointer(as: UInt8.self) { $0.map { Double($0) } }
        case .bool: return withUnsafeRawBuffer { $0.map { $0 != 0 ? 1 : 0 } }
        }
    }

    /// The elements, row-major, as Int64s (floats truncate toward zero, NaN gives 0).
    func int64Lane() -> [Int64] {
        switch dtype {
        case .float32: return withUnsafeBufferPointer(as: Float.self) { $0.map(\.int64Value) }
        case .float64: return withUnsafeBufferPointer(as: Double.self) { $0.map(\.int64Value) }
        case .int32: return withUnsafeBufferPointer(as: Int32.self) { $0.map { Int64($0) } }
        case .int64: return withUnsafeBufferPointer(as: Int64.self) { Array($0) }
        case .uint8: return withUnsafeBufferPointer(as: UInt8.self) { $0.map { Int64($0) } }
        case .bool: return withUnsafeRawBuffer { $0.map { $0 != 0 ? 1 : 0 } }
        }
    }

    /// A tensor from Double-lane values, each converted to `dtype` like `TensorScalar(fromDouble:)`.
    init(doubleLane values: [Double], shape: [Int], dtype: DType) {
        self.init(zeros: shape, dtype: dtype)
        precondition(values.count == count, "lane has \(values.count) values for shape \(shape)")
        switch dtype {
        case .float32: storeLane(values, as: Float.self, Float.init(fromDouble:))
        case .float64: storeLane(values, as: Double.self) { $0 }
        case .int32: storeLane(values, as: Int32.self, Int32.init(fromDouble:))
        case .int64: storeLane(values, as: Int64.self, Int64.init(fromDouble:))
        case .uint8: storeLane(values, as: UInt8.self, UInt8.init(fromDouble:))
        case .bool: storeLane(values, as: UInt8.self) { $0 != 0 ? 1 : 0 }
        }
    }

    /// A tensor from Int64-lane values, each converted to `dtype` like `TensorScalar(fromInt64:)`.
    init(int64Lane values: [Int64], shape: [Int], dtype: DType) {
        self.init(zeros: shape, dtype: dtype)
        precondition(values.count == count, "lane has \(values.count) values for shape \(shape)")
        switch dtype {
        case .float32: storeLane(values, as: Float.self, Float.init(fromInt64:))
        case .float64: storeLane(values, as: Double.self, Double.init(fromInt64:))
        case .int32: storeLane(values, as: Int32.self, Int32.init(fromInt64:))
        case .int64: storeLane(values, as: Int64.self) { $0 }
        case .uint8: storeLane(values, as: UInt8.self, UInt8.init(fromInt64:))
        case .bool: storeLane(values, as: UInt8.self) { $0 != 0 ? 1 : 0 }
        }
    }

    /// Writes converted lane values into this (freshly allocated) tensor's bytes.
    private mutating func storeLane<Lane, T>(_ values: [Lane], as type: T.Type, _ convert: (Lane) -> T) {
        withUnsafeMutableRawBuffer { raw in
            let stride = MemoryLayout<T>.stride
            for i in values.indices { raw.storeBytes(of: convert(values[i]), toByteOffset: i * stride, as: T.self) }
        }
    }

    /// The same elements with another shape of equal count, sharing storage.
    func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "reshape \(shape) to \(newShape)")
        return Tensor(shape: newShape, dtype: dtype, storage: storage)
    }
}
