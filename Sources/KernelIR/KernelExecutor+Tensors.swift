import GraphIR
import TensorRuntime

extension KernelExecutor {
    /// Runs kernel `index` on tensors (in the kernel's buffer order) with element counts, so
    /// a checking executor bounds-checks every access. Each tensor gets storage of its own
    /// first (copy on write), so the kernel's writes land in `tensors` only. Returns 0 or the
    /// failing `checkIndex` code. For tests and the debug mode's side-by-side runs.
    package func run(kernel index: Int, tensors: inout [Tensor], params: [Int64]) -> Int32 {
        for i in tensors.indices { tensors[i].withUnsafeMutableRawBuffer { _ in } }
        let pointers = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: max(tensors.count, 1))
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: max(tensors.count, 1))
        let values = UnsafeMutablePointer<Int64>.allocate(capacity: max(params.count, 1))
        defer {
            pointers.deallocate()
            counts.deallocate()
            values.deallocate()
        }
        for (i, tensor) in tensors.enumerated() {
            (pointers + i).initialize(to: tensor.storage.pointer)
            (counts + i).initialize(to: tensor.count)
        }
        for (i, value) in params.enumerated() { (values + i).initialize(to: value) }
        return run(kernel: index, buffers: pointers, elementCounts: counts, params: values)
    }
}
