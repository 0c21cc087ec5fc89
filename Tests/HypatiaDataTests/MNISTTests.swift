import Foundation
import Testing
import TensorRuntime
@testable import HypatiaData

@Suite("MNIST loader")
struct MNISTTests {
    /// Writes a tiny fake MNIST (gzipped IDX files) and returns its pixels and labels.
    static func writeFake(in dir: TemporaryDirectory, train: Int = 5, test: Int = 3,
                          trainLabelCount: Int? = nil, badLabel: Bool = false) throws -> [Tensor] {
        var g = RandomGenerator(seed: 8)
        func pixels(_ n: Int) -> Tensor {
            Tensor(randomUniform: [n, 28, 28], in: 0...255.99, dtype: .float64, generator: &g).converted(to: .uint8)
        }
        func labels(_ n: Int) -> Tensor {
            Tensor(randomUniform: [n], in: 0...9.99, dtype: .float64, generator: &g).converted(to: .uint8)
        }
        var tensors = [pixels(train), labels(trainLabelCount ?? train), pixels(test), labels(test)]
        if badLabel { tensors[3].setDouble(10, at: 0) }
        for (name, tensor) in zip(MNIST.fileNames, tensors) {
            try writeGzipped(try IDX.encode(tensor), to: dir.file(name))
        }
        return tensors
    }

    @Test func loadsAFakeDirectory() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let raw = try Self.writeFake(in: dir)
        let mnist = try MNIST.load(from: dir.path)
        #expect(mnist.trainImages.shape == [5, 784] && mnist.trainImages.dtype == .float32)
        #expect(mnist.testImages.shape == [3, 784] && mnist.testImages.dtype == .float32)
        #expect(mnist.trainLabels.shape == [5] && mnist.trainLabels.dtype == .int32)
        #expect(mnist.testLabels.shape == [3] && mnist.testLabels.dtype == .int32)
        #expect(mnist.trainImages.scalars == raw[0].scalars.map { Double(Float($0) / 255) })
        #expect(mnist.trainLabels.scalars == raw[1].scalars)
        #expect(mnist.testLabels.scalars == raw[3].scalars)
        #expect(mnist.testImages.scalars.allSatisfy { (0...1).contains($0) })
    }

    @Test func readsUncompressedFilesToo() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let raw = try Self.writeFake(in: dir)
        try FileManager.default.removeItem(atPath: dir.file(MNIST.fileNames[1]))
        try IDX.write(raw[1], to: dir.file("train-labels-idx1-ubyte"))
        #expect(try MNIST.load(from: dir.path).trainLabels.scalars == raw[1].scalars)
    }

    @Test func inconsistentDirectoriesThrow() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.writeFake(in: dir, trainLabelCount: 4)
        expectDataError([.format]) { _ = try MNIST.load(from: dir.path) }
        _ = try Self.writeFake(in: dir, badLabel: true)
        expectDataError([.format]) { _ = try MNIST.load(from: dir.path) }
        try writeGzipped(try IDX.encode(Tensor(zeros: [5, 784], dtype: .uint8)), to: dir.file(MNIST.fileNames[0]))
        expectDataError([.format]) { _ = try MNIST.load(from: dir.path) }
        try FileManager.default.removeItem(atPath: dir.file(MNIST.fileNames[2]))
        expectDataError([.io]) { _ = try MNIST.load(from: dir.path) }
        expectDataError([.io]) { _ = try MNIST.load(from: dir.file("nowhere")) }
    }

    @Test func defaultDirectoryFindsTheBundledData() throws {
        let found = try MNIST.defaultDirectory()
        #expect(FileManager.default.fileExists(atPath: found + "/" + MNIST.fileNames[0]))
        #expect(MNIST.candidateDirectories().last == bundledMNISTDirectory)
        let withEnv = MNIST.candidateDirectories(environment: ["HYPATIA_MNIST": "/somewhere/mnist"])
        #expect(withEnv.first == "/somewhere/mnist" && withEnv.count == 3)
        #expect(MNIST.candidateDirectories(environment: [:]).first == FileManager.default.currentDirectoryPath + "/Data/mnist")
    }

    /// The real dataset bundled in Data/mnist, checked against the label counts in its README.
    @Test func loadsTheBundledDataset() throws {
        let mnist = try MNIST.load(from: bundledMNISTDirectory)
        #expect(mnist.trainImages.shape == [60000, 784])
        #expect(mnist.trainLabels.shape == [60000])
        #expect(mnist.testImages.shape == [10000, 784])
        #expect(mnist.testLabels.shape == [10000])
        for images in [mnist.trainImages, mnist.testImages] {
            let pixels = images.scalars(as: Float.self)
            #expect(pixels.min() == 0 && pixels.max() == 1)
        }
        func histogram(_ labels: Tensor) -> [Int] {
            var counts = [Int](repeating: 0, count: 10)
            for label in labels.scalars(as: Int32.self) { counts[Int(label)] += 1 }
            return counts
        }
        #expect(histogram(mnist.trainLabels) == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        #expect(histogram(mnist.testLabels) == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    }
}
