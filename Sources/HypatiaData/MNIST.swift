import Foundation
import TensorRuntime

/// The MNIST handwritten digits: 60000 training and 10000 test images of 28×28 pixels.
///
/// Images are float32 in `[0, 1]` (pixel / 255) shaped `[n, rows * cols]` (`[n, 784]`),
/// labels int32 in `0...9` shaped `[n]`.
public struct MNIST: Sendable {
    /// Training images, `[60000, 784]` float32.
    public var trainImages: Tensor
    /// Training labels, `[60000]` int32.
    public var trainLabels: Tensor
    /// Test images, `[10000, 784]` float32.
    public var testImages: Tensor
    /// Test labels, `[10000]` int32.
    public var testLabels: Tensor

    /// A dataset from already prepared tensors.
    public init(trainImages: Tensor, trainLabels: Tensor, testImages: Tensor, testLabels: Tensor) {
        self.trainImages = trainImages
        self.trainLabels = trainLabels
        self.testImages = testImages
        self.testLabels = testLabels
    }

    /// The standard file names, in the order train images, train labels, test images, test labels.
    public static let fileNames = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                   "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]

    /// Loads the four standard files from `directory` (each `.gz`, or uncompressed without
    /// the suffix).
    ///
    /// Throws `DataError(.io)` for a missing file and `DataError(.format)` when an image file
    /// is not a rank-3 ubyte array, a label file not a rank-1 ubyte array of digits, or the
    /// image and label counts disagree.
    public static func load(from directory: String) throws -> MNIST {
        let paths = try fileNames.map { try locate($0, in: directory) }
        let train = try loadPair(images: paths[0], labels: paths[1])
        let test = try loadPair(images: paths[2], labels: paths[3])
        return MNIST(trainImages: train.images, trainLabels: train.labels,
                     testImages: test.images, testLabels: test.labels)
    }

    /// Loads MNIST from `defaultDirectory()`.
    public static func loadDefault() throws -> MNIST {
        try load(from: defaultDirectory())
    }

    /// The first directory holding the MNIST files among: `$HYPATIA_MNIST`, `./Data/mnist`
    /// relative to the current directory, and `Data/mnist` in the package this file belongs to.
    /// Throws `DataError(.io)` listing the places searched when none has them.
    public static func defaultDirectory() throws -> String {
        let candidates = candidateDirectories()
        guard let found = candidates.first(where: { (try? locate(fileNames[0], in: $0)) != nil }) else {
            throw DataError(.io, "MNIST not found; searched: " + candidates.joined(separator: ", ")
                            + " (set HYPATIA_MNIST to a directory holding \(fileNames[0]))")
        }
        return found
    }

    /// The directories `defaultDirectory()` tries, in order.
    static func candidateDirectories(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var result: [String] = []
        if let env = environment["HYPATIA_MNIST"], !env.isEmpty { result.append(env) }
        result.append(FileManager.default.currentDirectoryPath + "/Data/mnist")
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        result.append(packageRoot.appendingPathComponent("Data/mnist").path)
        return result
    }

    /// The path of `name` in `directory`, or of its uncompressed form without `.gz`.
    private static func locate(_ name: String, in directory: String) throws -> String {
        let path = directory + "/" + name
        if FileManager.default.isReadableFile(atPath: path) { return path }
        let plain = String(path.dropLast(3))
        if name.hasSuffix(".gz"), FileManager.default.isReadableFile(atPath: plain) { return plain }
        throw DataError(.io, "MNIST file missing", path: path)
    }

    /// Reads one images/labels pair and checks that they fit together.
    private static func loadPair(images imagePath: String, labels labelPath: String) throws -> (images: Tensor, labels: Tensor) {
        let rawImages = try IDX.read(contentsOf: imagePath)
        let rawLabels = try IDX.read(contentsOf: labelPath)
        guard rawImages.dtype == .uint8, rawImages.rank == 3 else {
            throw DataError(.format, "expected ubyte images [n, rows, cols], got \(rawImages.dtype) \(rawImages.shape)",
                            path: imagePath)
        }
        guard rawLabels.dtype == .uint8, rawLabels.rank == 1 else {
            throw DataError(.format, "expected ubyte labels [n], got \(rawLabels.dtype) \(rawLabels.shape)", path: labelPath)
        }
        guard rawImages.shape[0] == rawLabels.shape[0] else {
            throw DataError(.format, "\(rawImages.shape[0]) images but \(rawLabels.shape[0]) labels", path: labelPath)
        }
        let labels = rawLabels.converted(to: .int32)
        if let bad = labels.scalars(as: Int32.self).first(where: { $0 > 9 }) {
            throw DataError(.format, "label \(bad) is not a digit", path: labelPath)
        }
        return (try pixelsToUnitFloats(rawImages), labels)
    }

    /// `[n, rows, cols]` uint8 pixels → `[n, rows * cols]` float32 in `[0, 1]`.
    static func pixelsToUnitFloats(_ pixels: Tensor) throws -> Tensor {
        var result = Tensor(zeros: [pixels.shape[0], pixels.shape[1] * pixels.shape[2]], dtype: .float32)
        let table = (0...255).map { Float($0) / 255 }
        pixels.withUnsafeBufferPointer(as: UInt8.self) { source in
            result.withUnsafeMutableBufferPointer(as: Float.self) { target in
                table.withUnsafeBufferPointer { lookup in
                    // Raw pointers: this loop dominates MNIST loading in debug builds.
                    let (s, t, l) = (source.baseAddress!, target.baseAddress!, lookup.baseAddress!)
                    for i in 0..<source.count { t[i] = l[Int(s[i])] }
                }
            }
        }
        return result
    }
}
