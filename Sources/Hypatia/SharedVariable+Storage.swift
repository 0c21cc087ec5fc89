import GraphIR
import TensorRuntime

extension SharedVariable {
    /// The address of the value's storage (tests check that updates written in place keep it,
    /// and that copy-on-write moves it).
    package var storageAddress: UnsafeMutableRawPointer { storage.value.storage.pointer }
}
