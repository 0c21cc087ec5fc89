import CLLVM
import TensorRuntime

/// How kernel dtypes map to LLVM types, and the conversions between lanes and dtypes.
///
/// Registers hold float32 as `float`, float64 as `double`, int32 as `i32`, int64 as `i64`,
/// uint8 as `i8` and bool as `i1`; in memory bool is an `i8` holding 0 or 1.
extension IRBuilder {
    /// The register type of a `dtype` value (bool is `i1`).
    func valueType(_ dtype: DType) -> IRType {
        switch dtype {
        case .float32: f32
        case .float64: f64
        case .int32: i32
        case .int64: i64
        case .uint8, .bool: dtype == .bool ? i1 : i8
        }
    }

    /// The in-memory element type of a `dtype` buffer (bool is an `i8` 0/1).
    func memoryType(_ dtype: DType) -> IRType {
        dtype == .bool ? i8 : valueType(dtype)
    }

    /// A constant of `dtype` from a Double, converted like `TensorScalar(fromDouble:)`.
    func constant(_ value: Double, _ dtype: DType) -> IRValue {
        switch dtype {
        case .float32: return f32(Float(value))
        case .float64: return f64(value)
        case .int32: return i32(Int32(fromDouble: value))
        case .int64: return i64(truncatingInt64(value))
        case .uint8: return LLVMConstInt(i8, UInt64(UInt8(fromDouble: value)), 0)
        case .bool: return i1(value != 0)
        }
    }

    /// Reads a `dtype` element from memory as a register value (bool: `i8 != 0`).
    func loadElement(_ dtype: DType, from pointer: IRValue) -> IRValue {
        let raw = load(memoryType(dtype), from: pointer)
        return dtype == .bool ? icmp(LLVMIntNE, raw, LLVMConstInt(i8, 0, 0)) : raw
    }

    /// Writes a register value as a `dtype` element (bool: `zext` to `i8`).
    func storeElement(_ dtype: DType, _ value: IRValue, to pointer: IRValue) {
        store(dtype == .bool ? zext(value, to: i8) : value, to: pointer)
    }

    /// An integer or bool register value widened to the int64 lane (sign-extended for int32,
    /// zero-extended for uint8 and bool, as the reference reads them into Int64).
    func widenToInt64(_ value: IRValue, _ dtype: DType) -> IRValue {
        switch dtype {
        case .int64: return value
        case .int32: return sext(value, to: i64)
        case .uint8, .bool: return zext(value, to: i64)
        case .float32, .float64: preconditionFailure("\(dtype) is not an integer lane dtype")
        }
    }

    /// An int64-lane value converted to `dtype` like the reference's `Tensor(int64Lane:)`:
    /// floats round to nearest, integers wrap, bool is `!= 0`.
    func int64Lane(_ value: IRValue, to dtype: DType) -> IRValue {
        switch dtype {
        case .float32, .float64: return siToFP(value, to: valueType(dtype))
        case .int64: return value
        case .int32, .uint8: return trunc(value, to: valueType(dtype))
        case .bool: return icmp(LLVMIntNE, value, i64(0))
        }
    }

    /// A float value (`float` or `double`) converted to `dtype` like the reference's
    /// `Tensor(doubleLane:)`: C conversions, except that NaN and values outside the int64 range
    /// become 0 before truncating to the integer dtype (`truncatingInt64`; a bare `fptosi`
    /// would be poison there); bool is `!= 0` (NaN is true).
    func floatLane(_ value: IRValue, _ lane: DType, to dtype: DType) -> IRValue {
        switch dtype {
        case .float32: return lane == .float32 ? value : fpTrunc(value, to: f32)
        case .float64: return lane == .float64 ? value : fpExt(value, to: f64)
        case .int64: return truncatingToInt64(value, lane)
        case .int32, .uint8: return trunc(truncatingToInt64(value, lane), to: valueType(dtype))
        case .bool: return fcmp(LLVMRealUNE, value, constant(0, lane))
        }
    }

    /// `truncatingInt64`: `fptosi` of the value where it lies strictly inside (-2^63, 2^63),
    /// else 0 (NaN too). The select comes first, so `fptosi` never sees an out-of-range value.
    func truncatingToInt64(_ value: IRValue, _ lane: DType) -> IRValue {
        let limit = 9.223372036854775808e18
        let inRange = and(fcmp(LLVMRealOGT, value, constant(-limit, lane)),
                          fcmp(LLVMRealOLT, value, constant(limit, lane)))
        let safe = select(inRange, value, constant(0, lane))
        return fpToSI(safe, to: i64)
    }

    /// An i1 "truth" value converted to `dtype` (1 or 0).
    func truthLane(_ value: IRValue, to dtype: DType) -> IRValue {
        switch dtype {
        case .bool: return value
        case .float32, .float64: return LLVMBuildUIToFP(ref, value, valueType(dtype), "")
        case .int32, .int64, .uint8: return zext(value, to: valueType(dtype))
        }
    }
}
