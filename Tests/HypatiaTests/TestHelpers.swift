import Hypatia
import Testing

/// The GraphError `body` throws, or nil (recording an issue) if it throws nothing or another error.
func graphError(_ body: () throws -> Any, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> GraphError? {
    do {
        _ = try body()
        Issue.record("expected a GraphError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as GraphError {
        return error
    } catch {
        Issue.record("expected a GraphError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// The location of a line in this test file, as Hypatia records it.
func at(_ line: Int, file: String = #fileID) -> Hypatia.SourceLocation {
    Hypatia.SourceLocation(fileID: file, line: line)
}

/// A float32 tensor from Double values (the count must match the shape).
func f32(_ shape: [Int], _ values: [Double]) throws -> Tensor {
    try Tensor(shape: shape, values: values, dtype: .float32)
}

/// True if the values agree within `tolerance` (absolute).
func close(_ a: [Double], _ b: [Double], tolerance: Double = 1e-5) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { Swift.abs($0 - $1) <= tolerance }
}
