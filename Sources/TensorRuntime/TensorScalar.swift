/// A Swift type that can be stored in a `Tensor`.
///
/// Every scalar converts losslessly to one of two "lanes" used by the reference code:
/// `Double` for floating types and `Int64` for integer and boolean types.
public protocol TensorScalar: Sendable {
    /// The dtype that stores this Swift type.
    static var dtype: DType { get }
    /// Creates a value from a Double, rounding/truncating like a C cast (bool: != 0).
    init(fromDouble value: Double)
    /// Creates a value from an Int64, truncating like a C cast (bool: != 0).
    init(fromInt64 value: Int64)
    /// The value as a Double.
    var doubleValue: Double { get }
    /// The value as an Int64 (floats truncate toward zero; NaN and out-of-range give 0).
    var int64Value: Int64 { get }
}

/// Converts a Double to Int64 like C truncation, mapping NaN and out-of-range values to 0.
@inline(__always)
package func truncatingInt64(_ value: Double) -> Int64 {
    guard value.isFinite, value > -9.223372036854775808e18, value < 9.223372036854775808e18 else { return 0 }
    return Int64(value)
}

extension Float: TensorScalar {
    public static var dtype: DType { .float32 }
    public init(fromDouble value: Double) { self = Float(value) }
    public init(fromInt64 value: Int64) { self = Float(value) }
    public var doubleValue: Double { Double(self) }
    public var int64Value: Int64 { truncatingInt64(Double(self)) }
}

extension Double: TensorScalar {
    public static var dtype: DType { .float64 }
    public init(fromDouble value: Double) { self = value }
    public init(fromInt64 value: Int64) { self = Double(value) }
    public var doubleValue: Double { self }
    public var int64Value: Int64 { truncatingInt64(self) }
}

extension Int32: TensorScalar {
    public static var dtype: DType { .int32 }
    public init(fromDouble value: Double) { self = Int32(truncatingIfNeeded: truncatingInt64(value)) }
    public init(fromInt64 value: Int64) { self = Int32(truncatingIfNeeded: value) }
    public var doubleValue: Double { Double(self) }
    public var int64Value: Int64 { Int64(self) }
}

extension Int64: TensorScalar {
    public static var dtype: DType { .int64 }
    public init(fromDouble value: Double) { self = truncatingInt64(value) }
    public init(fromInt64 value: Int64) { self = value }
    public var doubleValue: Double { Double(self) }
    public var int64Value: Int64 { self }
}

/// `Int` is stored as int64, so `[1, 2, 3]` literals make int64 tensors.
extension Int: TensorScalar {
    public static var dtype: DType { .int64 }
    public init(fromDouble value: Double) { self = Int(truncatingInt64(value)) }
    public init(fromInt64 value: Int64) { self = Int(value) }
    public var doubleValue: Double { Double(self) }
    public var int64Value: Int64 { Int64(self) }
}

extension UInt8: TensorScalar {
    public static var dtype: DType { .uint8 }
    public init(fromDouble value: Double) { self = UInt8(truncatingIfNeeded: truncatingInt64(value)) }
    public init(fromInt64 value: Int64) { self = UInt8(truncatingIfNeeded: value) }
    public var doubleValue: Double { Double(self) }
    public var int64Value: Int64 { Int64(self) }
}

extension Bool: TensorScalar {
    public static var dtype: DType { .bool }
    public init(fromDouble value: Double) { self = value != 0 }
    public init(fromInt64 value: Int64) { self = value != 0 }
    public var doubleValue: Double { self ? 1 : 0 }
    public var int64Value: Int64 { self ? 1 : 0 }
}
