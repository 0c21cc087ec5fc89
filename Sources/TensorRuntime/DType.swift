/// The element type of a tensor.
///
/// Hypatia's default floating type ("floatX" in Theano terms) is `.float32`.
public enum DType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case float32, float64, int32, int64, uint8, bool

    /// The floating type used when an integer value must become floating (int / int, mean of ints).
    public static let floatX: DType = .float32

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        case .uint8, .bool: return 1
        }
    }

    /// True for float32 and float64.
    public var isFloatingPoint: Bool {
        switch self {
        case .float32, .float64: return true
        case .int32, .int64, .uint8, .bool: return false
        }
    }

    /// True for int32, int64 and uint8 (not bool).
    public var isInteger: Bool {
        switch self {
        case .int32, .int64, .uint8: return true
        case .float32, .float64, .bool: return false
        }
    }

    /// The short name used in IR text: `f32 f64 i32 i64 u8 bool`.
    public var shortName: String {
        switch self {
        case .float32: return "f32"
        case .float64: return "f64"
        case .int32: return "i32"
        case .int64: return "i64"
        case .uint8: return "u8"
        case .bool: return "bool"
        }
    }

    /// Parses a short name (`f32`, ...) back into a dtype.
    public init?(shortName: String) {
        guard let match = DType.allCases.first(where: { $0.shortName == shortName }) else { return nil }
        self = match
    }

    public var description: String { rawValue }

    /// A rank used for type promotion: bool < uint8 < int32 < int64 < float32 < float64.
    package var promotionRank: Int {
        switch self {
        case .bool: return 0
        case .uint8: return 1
        case .int32: return 2
        case .int64: return 3
        case .float32: return 4
        case .float64: return 5
        }
    }

    /// The dtype two operands are promoted to: floats dominate integers, wider wins within a kind.
    ///
    /// Unlike numpy, an integer mixed with float32 stays float32 (Hypatia is float32-first).
    public static func promoted(_ a: DType, _ b: DType) -> DType {
        a.promotionRank >= b.promotionRank ? a : b
    }
}
