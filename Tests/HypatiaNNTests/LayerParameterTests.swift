import Foundation
import HypatiaNN
import HypatiaTestSupport
import Testing

/// An autoencoder whose decoder uses the transpose of the encoder's weights.
func tiedAutoencoder() -> (input: InputLayer, encoder: DenseLayer, decoder: DenseLayer) {
    let input = InputLayer(shape: [nil, 6])
    let encoder = DenseLayer(input, units: 3, nonlinearity: .sigmoid, name: "enc")
    let decoder = DenseLayer(encoder, units: 6, W: .variable(encoder.W.T), nonlinearity: .sigmoid, name: "dec")
    return (input, encoder, decoder)
}

/// A temporary file path that is removed when the test ends.
func temporaryPath(_ name: String) -> String {
    NSTemporaryDirectory() + "hypatia-nn-\(UUID().uuidString)-\(name)"
}

@Suite struct LayerParameterTests {
    @Test func tiedWeightsAreListedOnceAndTagsFilter() throws {
        let (_, encoder, decoder) = tiedAutoencoder()
        let all = allParameters(of: decoder)
        #expect(all.map(\.name) == ["enc.W", "enc.b", "dec.b"])
        #expect(all[0] == encoder.W)
        #expect(allParameters(of: decoder, trainable: true).count == 3)
        #expect(allParameters(of: decoder, regularizable: true).map(\.name) == ["enc.W"])
        #expect(allParameters(of: decoder, regularizable: false).map(\.name) == ["enc.b", "dec.b"])
        #expect(allLayers(decoder).count == 3)
        #expect(parameterValues(of: decoder).map(\.shape) == [[6, 3], [3], [6]])
    }

    @Test func gradientFlowsIntoTiedWeightsFromBothUses() throws {
        let (input, encoder, decoder) = tiedAutoencoder()
        let x = randomInput([5, 6], seed: 21).0
        let w = try #require(encoder.W as? SharedVariable)
        let start = w.value
        // d loss / dW by central differences through the compiled network, against grad().
        let loss = getOutput(decoder).sum()
        let gradient = try function(inputs: [input.input], outputs: [grad(loss, wrt: w)])(x)[0]
        let lossOf = try function(inputs: [input.input], outputs: [loss])
        for index in [0, 7, 17] {
            var values = start.scalars
            let eps = 1e-2
            values[index] += eps
            try w.setValue(try Tensor(shape: [6, 3], values: values, dtype: .float32))
            let up = try lossOf(x)[0].scalar
            values[index] -= 2 * eps
            try w.setValue(try Tensor(shape: [6, 3], values: values, dtype: .float32))
            let down = try lossOf(x)[0].scalar
            let numeric = (up - down) / (2 * eps)
            #expect(abs(numeric - gradient.scalars[index]) < 2e-3 * max(1, abs(numeric)))
        }
        try w.setValue(start)
    }

    @Test func getOutputComputesSharedLayersOnceAndSubstitutesInputs() throws {
        final class Counting: Layer {
            let name: String? = nil
            let inputLayers: [any Layer]
            var outputShape: [Int?] { inputLayers[0].outputShape }
            let parameters: [LayerParameter] = []
            var calls = 0
            init(_ incoming: any Layer) { inputLayers = [incoming] }
            func output(for inputs: [Variable], deterministic: Bool) -> Variable {
                calls += 1
                return inputs[0] * 2
            }
        }
        let input = InputLayer(shape: [nil, 2])
        let shared = Counting(input)
        let sum = ElemwiseSumLayer([NonlinearityLayer(shared, nonlinearity: .linear), shared])
        let x = matrix("x")
        let f = try function(inputs: [x], outputs: [getOutput(sum, input: x)])
        #expect(shared.calls == 1)
        #expect(try f(Tensor(ones: [1, 2]))[0].scalars == [4, 4])
        // Substituting a variable for an inner layer skips everything below it.
        let g = try function(inputs: [x], outputs: [getOutput(sum, inputs: [(shared, x)])])
        #expect(shared.calls == 1)
        #expect(try g(Tensor(ones: [1, 2]))[0].scalars == [2, 2])
    }

    @Test func setParameterValuesIsAllOrNothing() throws {
        let (_, _, decoder) = tiedAutoencoder()
        let before = parameterValues(of: decoder)
        let good = [Tensor(ones: [6, 3]), Tensor(ones: [3]), Tensor(ones: [6])]
        #expect { try setParameterValues(of: decoder, Array(good.prefix(2))) } throws: {
            ($0 as? GraphError)?.kind == .argument
        }
        #expect { try setParameterValues(of: decoder, [good[0], Tensor(ones: [4]), good[2]]) } throws: {
            ($0 as? GraphError)?.kind == .shape
        }
        #expect { try setParameterValues(of: decoder, [good[0], good[1], Tensor(ones: [6], dtype: .float64)]) } throws: {
            ($0 as? GraphError)?.kind == .dtype
        }
        #expect(parameterValues(of: decoder) == before)
        try setParameterValues(of: decoder, good)
        #expect(parameterValues(of: decoder) == good)
    }

    @Test func npzRoundTripAndLoadChecks() throws {
        let path = temporaryPath("params.npz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (_, _, decoder) = tiedAutoencoder()
        try saveParameters(of: decoder, to: path)
        let (_, _, other) = tiedAutoencoder()
        #expect(parameterValues(of: other) != parameterValues(of: decoder))
        try loadParameters(of: other, from: path)
        #expect(parameterValues(of: other) == parameterValues(of: decoder))
        // A different architecture is refused and keeps its values.
        let input = InputLayer(shape: [nil, 6])
        let wrongShape = DenseLayer(DenseLayer(input, units: 4), units: 6)
        let wrongCount = DenseLayer(input, units: 3)
        for network in [wrongShape, wrongCount] {
            let before = parameterValues(of: network)
            #expect(throws: GraphError.self) { try loadParameters(of: network, from: path) }
            #expect(parameterValues(of: network) == before)
        }
        #expect(throws: TensorError.self) { try loadParameters(of: other, from: path + ".missing") }
    }

    @Test func savedMembersHaveNumpyHeaders() throws {
        let path = temporaryPath("header.npz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (_, _, decoder) = tiedAutoencoder()
        try saveParameters(of: decoder, to: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        let starts = bytes.indices.filter { bytes.count - $0 >= 10 && Array(bytes[$0..<($0 + 6)]) == magic }
        #expect(starts.count == 3)
        var shapes: [String] = []
        for start in starts {
            #expect(bytes[start + 6] == 1 && bytes[start + 7] == 0)
            let length = Int(bytes[start + 8]) | Int(bytes[start + 9]) << 8
            #expect((10 + length) % 64 == 0)
            let header = String(decoding: bytes[(start + 10)..<(start + 10 + length)], as: UTF8.self)
            #expect(header.hasPrefix("{") && header.hasSuffix("\n"))
            #expect(header.contains("'descr': '<f4'") && header.contains("'fortran_order': False"))
            shapes += header.split(separator: "'shape': ").dropFirst().map { String($0.prefix { $0 != ")" }) + ")" }
        }
        #expect(Set(shapes) == ["(6, 3)", "(3,)", "(6,)"])
        #expect(Set(try readNPZ(path).keys) == ["arr_0", "arr_1", "arr_2"])
    }

    @Test func layerRegularizationSumsPenalties() throws {
        let (_, encoder, decoder) = tiedAutoencoder()
        let w = try reference(encoder.W)
        let l2 = w.values.map { $0 * $0 }.reduce(0, +)
        let square: (Variable) -> Variable = { ($0 * $0).sum() }
        let network = try function(inputs: [], outputs: [regularizeNetworkParameters(decoder, penalty: square)])
        #expect(abs(try network()[0].scalar - l2) < 1e-4 * l2)
        let decoderOnly = try function(inputs: [], outputs: [regularizeLayerParameters(decoder, penalty: square)])
        #expect(abs(try decoderOnly()[0].scalar - l2) < 1e-4 * l2, "the tied W.T counts as the decoder's")
        let weighted = regularizeLayerParametersWeighted([(encoder, 0.5), (decoder, 2)], penalty: square)
        #expect(abs(try function(inputs: [], outputs: [weighted])()[0].scalar - 2.5 * l2) < 1e-4 * l2)
    }
}
