/// A 64-byte aligned, zero-initialised byte buffer owned by one or more tensors.
///
/// Tensors share storage and copy it on write (`Tensor.withUnsafeMutableRawBuffer`).
package final class TensorStorage: @unchecked Sendable {
    /// Alignment of every buffer, enough for AVX-512 loads.
    package static let alignment = 64

    /// Number of usable bytes.
    package let byteCount: Int
    /// Start of the buffer; valid for `byteCount` bytes (at least one byte is allocated).
    package let pointer: UnsafeMutableRawPointer

    /// Allocates `byteCount` zeroed bytes.
    package init(byteCount: Int) {
        precondition(byteCount >= 0, "negative byte count")
        self.byteCount = byteCount
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: Self.alignment)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, 1))
    }

    /// Allocates `byteCount` bytes whose contents are undefined (for memory the caller
    /// overwrites at once, e.g. kernel outputs: skips zero-filling large buffers).
    package init(uninitializedByteCount byteCount: Int) {
        precondition(byteCount >= 0, "negative byte count")
        self.byteCount = byteCount
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: Self.alignment)
    }

    /// A new storage holding a copy of these bytes.
    package func copy() -> TensorStorage {
        let result = TensorStorage(byteCount: byteCount)
        result.pointer.copyMemory(from: pointer, byteCount: byteCount)
        return result
    }

    deinit { pointer.deallocate() }
}
