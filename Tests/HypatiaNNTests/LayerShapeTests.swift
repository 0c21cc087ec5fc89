import HypatiaNN
import HypatiaTestSupport
import Testing

/// One network per layer kind, with a concrete input shape to run it on.
enum ShapeCase: String, CaseIterable, Sendable {
    case dense, denseOfImages, convValid, convFull, convSame, convExplicitStrided, maxPool, maxPoolNoBorder,
         avgPoolPadded, globalPool, dropout, noise, batchNorm, flatten, reshape, dimshuffle, concat, sum,
         nonlinearity, expression, prelu

    /// The input layer (batch unknown), the layer under test and a concrete input shape.
    func build() -> (InputLayer, any Layer, [Int]) {
        let images = InputLayer(shape: [nil, 2, 7, 6])
        let rows = InputLayer(shape: [nil, 5])
        switch self {
        case .dense: return (rows, DenseLayer(rows, units: 3), [4, 5])
        case .denseOfImages: return (images, DenseLayer(images, units: 3), [2, 2, 7, 6])
        case .convValid: return (images, Conv2DLayer(images, filters: 3, filterSize: (3, 2)), [2, 2, 7, 6])
        case .convFull: return (images, Conv2DLayer(images, filters: 3, filterSize: (3, 2), pad: .full), [2, 2, 7, 6])
        case .convSame: return (images, Conv2DLayer(images, filters: 3, filterSize: (3, 3), pad: .same), [2, 2, 7, 6])
        case .convExplicitStrided:
            return (images, Conv2DLayer(images, filters: 3, filterSize: (3, 3), stride: (2, 3), pad: .explicit(1, 2)),
                    [2, 2, 7, 6])
        case .maxPool: return (images, MaxPool2DLayer(images, poolSize: (2, 2)), [2, 2, 7, 6])
        case .maxPoolNoBorder:
            return (images, MaxPool2DLayer(images, poolSize: (3, 2), stride: (2, 1), ignoreBorder: false), [2, 2, 7, 6])
        case .avgPoolPadded:
            return (images, Pool2DLayer(images, poolSize: (3, 3), stride: (2, 2), pad: (1, 1),
                                        mode: .averageExcludingPadding), [2, 2, 7, 6])
        case .globalPool: return (images, GlobalPoolLayer(images), [2, 2, 7, 6])
        case .dropout: return (images, DropoutLayer(images, p: 0.3), [2, 2, 7, 6])
        case .noise: return (images, GaussianNoiseLayer(images), [2, 2, 7, 6])
        case .batchNorm: return (images, BatchNormLayer(images), [2, 2, 7, 6])
        case .flatten: return (images, FlattenLayer(images), [2, 2, 7, 6])
        case .reshape: return (images, ReshapeLayer(images, shape: [.input(0), -1, 3]), [2, 2, 7, 6])
        case .dimshuffle: return (images, DimshuffleLayer(images, pattern: [1, "x", 0, 3, 2]), [2, 2, 7, 6])
        case .concat: return (images, ConcatLayer([images, MaxPool2DLayer(images, poolSize: (1, 1))]), [2, 2, 7, 6])
        case .sum: return (rows, ElemwiseSumLayer([rows, DenseLayer(rows, units: 5)], coefficients: [1, -2]), [4, 5])
        case .nonlinearity: return (rows, NonlinearityLayer(rows, nonlinearity: .softmax), [4, 5])
        case .expression: return (rows, ExpressionLayer(rows, outputShape: [nil]) { $0.sum(axis: 1) }, [4, 5])
        case .prelu: return (images, PReLULayer(images), [2, 2, 7, 6])
        }
    }
}

@Suite struct LayerShapeTests {
    /// The static output shape (nil where the batch size matters) matches the compiled shape, in training
    /// and deterministic mode.
    @Test(arguments: ShapeCase.allCases)
    func staticShapeMatchesCompiledShape(_ shapeCase: ShapeCase) throws {
        let (input, layer, inputShape) = shapeCase.build()
        // Only the extent that depends on the batch size is unknown.
        #expect(layer.outputShape.filter { $0 == nil }.count == 1)
        let x = randomInput(inputShape, seed: 1).0
        for deterministic in [false, true] {
            let y = try evaluate(layer, input: input, x, deterministic: deterministic)
            #expect(y.rank == layer.outputShape.count)
            for (actual, expected) in zip(y.shape, layer.outputShape) {
                #expect(expected == nil || expected == actual, "\(shapeCase) deterministic \(deterministic)")
            }
        }
    }

    @Test func embeddingShapeAndRows() throws {
        let indices = InputLayer(shape: [nil, 3], input: matrix("i", dtype: .int32, shape: [nil, 3]))
        let embedding = EmbeddingLayer(indices, inputSize: 5, outputSize: 4)
        #expect(embedding.outputShape == [nil, 3, 4])
        let i = try Tensor(shape: [2, 3], scalars: [0, 4, 1, 1, 2, 0] as [Int32])
        let y = try evaluate(embedding, input: indices, i)
        #expect(y.shape == [2, 3, 4])
        let table = try reference(embedding.W)
        let rows = [0, 4, 1, 1, 2, 0].flatMap { table.values[($0 * 4)..<($0 * 4 + 4)] }
        #expect(y.scalars == rows)
    }

    @Test func invalidConfigurationsAreRecordedNotTrapped() throws {
        let rows = InputLayer(shape: [nil, 5])
        let unknown = InputLayer(shape: [nil, nil])
        let layers: [any Layer] = [DenseLayer(unknown, units: 3), DenseLayer(rows, units: 0),
                                   Conv2DLayer(rows, filters: 2, filterSize: (3, 3)),
                                   DenseLayer(rows, units: 2, W: .value(Tensor(zeros: [4, 2]))),
                                   BatchNormLayer(unknown), DropoutLayer(rows, p: 1.5),
                                   ReshapeLayer(rows, shape: [-1, -1]), DimshuffleLayer(rows, pattern: [0, "y"]),
                                   DenseLayer(rows, units: 3, W: .variable(DenseLayer(unknown, units: 5).W.T))]
        for layer in layers {
            #expect(throws: GraphError.self) { try getOutput(layer).check() }
        }
    }

    @Test func errorsInsideALayerNameTheLineThatCreatedIt() throws {
        let input = InputLayer(shape: [nil, 5])
        let dense = DenseLayer(input, units: 3); let line = #line
        let wrong = getOutput(dense, input: matrix("x", shape: [nil, 7]))
        #expect { try wrong.check() } throws: { error in
            let location = (error as? GraphError)?.location
            return location?.line == line && location?.fileID.hasSuffix("LayerShapeTests.swift") == true
        }
    }
}
