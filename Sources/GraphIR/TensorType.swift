import Synchronization
import TensorRuntime

/// The static type of a graph value: dtype plus a shape of (possibly symbolic) dims.
public struct TensorType: Sendable, Hashable, CustomStringConvertible {
    public var dtype: DType
    public var shape: [Dim]

    public init(_ dtype: DType, _ shape: [Dim]) {
        self.dtype = dtype
        self.shape = shape
    }

    /// A scalar (rank-0) type.
    public static func scalar(_ dtype: DType) -> TensorType { TensorType(dtype, []) }

    public var rank: Int { shape.count }

    /// The shape if every dim is constant.
    public var constantShape: [Int]? {
        var result: [Int] = []
        for d in shape {
            guard let v = d.constantValue else { return nil }
            result.append(v)
        }
        return result
    }

    /// The concrete shape under symbol bindings; nil if a symbol is unbound.
    public func evaluateShape(_ bindings: [DimSymbol: Int]) -> [Int]? {
        var result: [Int] = []
        for d in shape {
            guard let v = d.evaluate(bindings) else { return nil }
            result.append(v)
        }
        return result
    }

    /// IR text form, e.g. `f32[?x0,784]`.
    public var description: String {
        "\(dtype.shortName)[\(shape.map(\.description).joined(separator: ","))]"
    }
}

private let symbolCounter = Atomic<Int>(0)

extension DimSymbol {
    /// A new symbol, distinct from every other symbol in the process.
    package static func fresh(hint: String) -> DimSymbol {
        let id = symbolCounter.wrappingAdd(1, ordering: .relaxed).newValue
        return DimSymbol(id: id, hint: hint)
    }
}
