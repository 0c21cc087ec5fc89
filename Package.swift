// swift-tools-version:6.0
import PackageDescription

/// LLVM 14's C headers include `llvm/Config/llvm-config.h`, so the include root is needed by
/// every target that (transitively) imports CLLVM, including SwiftPM's generated test runner.
let llvmFlags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-I/usr/lib/llvm-14/include"])]

let package = Package(
    name: "Hypatia",
    products: [
        .library(name: "Hypatia", targets: ["Hypatia"]),
        .library(name: "HypatiaData", targets: ["HypatiaData"]),
        .library(name: "HypatiaNN", targets: ["HypatiaNN"]),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CLLVM", path: "Sources/CLLVM"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "TensorRuntime", dependencies: ["CBLAS", "CZlib"]),
        .target(name: "GraphIR", dependencies: ["TensorRuntime"]),
        .target(name: "KernelIR", dependencies: ["GraphIR", "TensorRuntime"]),
        .target(name: "LLVMCodegen", dependencies: ["KernelIR", "GraphIR", "CLLVM"], swiftSettings: llvmFlags),
        .target(name: "Hypatia", dependencies: ["GraphIR", "KernelIR", "TensorRuntime", "LLVMCodegen"],
                swiftSettings: llvmFlags),
        .target(name: "HypatiaData", dependencies: ["TensorRuntime", "CZlib"]),
        .target(name: "HypatiaNN", dependencies: ["Hypatia", "HypatiaData"], swiftSettings: llvmFlags),
        .target(name: "HypatiaTestSupport", dependencies: ["Hypatia", "GraphIR", "TensorRuntime"],
                path: "Sources/HypatiaTestSupport", swiftSettings: llvmFlags),
        .executableTarget(name: "LogisticRegression", dependencies: ["Hypatia", "HypatiaData"],
                          path: "Examples/LogisticRegression", swiftSettings: llvmFlags),
        .target(name: "ExampleSupport", dependencies: ["HypatiaNN"], path: "Examples/Support", swiftSettings: llvmFlags),
        .executableTarget(name: "MLP", dependencies: ["HypatiaNN", "ExampleSupport"], path: "Examples/MLP", swiftSettings: llvmFlags),
        .executableTarget(name: "LeNet", dependencies: ["HypatiaNN", "ExampleSupport"], path: "Examples/LeNet",
                          swiftSettings: llvmFlags),
        .executableTarget(name: "DenoisingAutoencoder", dependencies: ["HypatiaNN", "ExampleSupport"],
                          path: "Examples/DenoisingAutoencoder", swiftSettings: llvmFlags),
        .executableTarget(name: "TransferLearning", dependencies: ["HypatiaNN", "ExampleSupport"],
                          path: "Examples/TransferLearning", swiftSettings: llvmFlags),
        .executableTarget(name: "hypatia-bench",
                          dependencies: ["Hypatia", "HypatiaData", "GraphIR", "KernelIR", "LLVMCodegen"],
                          path: "Benchmarks/Sources", swiftSettings: llvmFlags),
        .testTarget(name: "TensorRuntimeTests", dependencies: ["TensorRuntime", "HypatiaTestSupport"],
                    swiftSettings: llvmFlags),
        .testTarget(name: "GraphIRTests", dependencies: ["GraphIR", "HypatiaTestSupport"], swiftSettings: llvmFlags),
        .testTarget(name: "HypatiaTests", dependencies: ["Hypatia", "HypatiaTestSupport"], swiftSettings: llvmFlags),
        .testTarget(name: "KernelIRTests", dependencies: ["KernelIR", "HypatiaTestSupport"], swiftSettings: llvmFlags),
        .testTarget(name: "LLVMCodegenTests", dependencies: ["LLVMCodegen"], swiftSettings: llvmFlags),
        .testTarget(name: "HypatiaNNTests", dependencies: ["HypatiaNN", "HypatiaTestSupport"],
                    swiftSettings: llvmFlags),
        .testTarget(name: "HypatiaDataTests", dependencies: ["HypatiaData", "HypatiaTestSupport"],
                    swiftSettings: llvmFlags),
    ]
)
