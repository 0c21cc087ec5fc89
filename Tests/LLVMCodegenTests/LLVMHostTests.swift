import Testing
@testable import LLVMCodegen

@Suite struct LLVMHostTests {
    @Test func detectsAnX86HostWithFeatures() {
        let host = LLVMHost.detect()
        #expect(host.triple.hasPrefix("x86_64"))
        #expect(!host.cpuName.isEmpty)
        // Every x86-64 CPU has SSE2; its absence would mean the feature string is broken.
        #expect(host.hasFeature("sse2"))
        #expect(!host.hasFeature("definitely-not-a-feature"))
    }

    @Test func reportsTheLinkedMajorVersion() {
        #expect(LLVMHost.version.hasPrefix("14."))
    }
}
