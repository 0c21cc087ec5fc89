import Foundation
import HypatiaNN

/// What every MNIST example starts with: its settings from the environment, the output
/// directory, and MNIST split into 50 000 training and 10 000 validation images.
public struct ExampleSetup: Sendable {
    /// Where the example writes parameters, histories and pictures (`OUTPUT_DIR`, default
    /// "output"); created if missing.
    public let outputDirectory: String
    /// The bundled MNIST (test images included).
    public let mnist: MNIST
    /// The first 50 000 training images for training, the last 10 000 for validation.
    public let split: TrainValidationSplit

    /// Creates the output directory, loads MNIST and prints the sizes of the three sets.
    public init() throws {
        outputDirectory = Self.environment["OUTPUT_DIR"] ?? "output"
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        mnist = try MNIST.loadDefault()
        split = try splitTrainValidation(images: mnist.trainImages, labels: mnist.trainLabels,
                                         validationCount: 10_000)
        print("MNIST: \(split.trainImages.shape[0]) train, \(split.validationImages.shape[0]) validation, "
              + "\(mnist.testImages.shape[0]) test images")
    }

    /// The path of `file` in the output directory.
    public func output(_ file: String) -> String { outputDirectory + "/" + file }

    /// The integer setting `name` from the environment, or `value` when unset or malformed.
    public static func integer(_ name: String, default value: Int) -> Int {
        Int(environment[name] ?? "") ?? value
    }

    /// The numeric setting `name` from the environment, or `value` when unset or malformed.
    public static func number(_ name: String, default value: Double) -> Double {
        Double(environment[name] ?? "") ?? value
    }

    /// The process environment.
    public static var environment: [String: String] { ProcessInfo.processInfo.environment }
}
