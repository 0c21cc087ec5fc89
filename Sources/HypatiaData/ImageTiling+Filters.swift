import TensorRuntime

/// The picture of a layer's learned filters: the columns of a `[height·width, units]` weight
/// matrix (Theano's and Lasagne's `W` layout, e.g. `[784, 500]` for an MNIST autoencoder) tiled
/// as `height × width` images, each scaled to `[0, 1]` — the denoising-autoencoder tutorial's
/// `tile_raster_images(X=W.T, img_shape=(28, 28), tile_shape=(10, 10), tile_spacing=(1, 1))`.
///
/// - Parameters:
///   - weights: float matrix of shape `[height·width, units]`.
///   - imageShape: the shape of one input image; MNIST's `(28, 28)` by default.
///   - tileShape: rows and columns of tiles; nil shows every filter on a near-square grid
///     (`ceil(sqrt(units))` columns). The tutorial shows the first 100 with `(10, 10)`.
///   - spacing: black pixels between tiles.
/// - Returns: a uint8 image tensor `[rows, columns]` (see `tileImages`).
/// - Throws: `DataError(.invalidArgument)` for a weight matrix that does not fit `imageShape`.
public func filterImage(weights: Tensor, imageShape: (height: Int, width: Int) = (28, 28),
                        tileShape: (rows: Int, columns: Int)? = nil,
                        spacing: (rows: Int, columns: Int) = (1, 1)) throws -> Tensor {
    let pixels = imageShape.height * imageShape.width
    guard weights.rank == 2, weights.shape[0] == pixels, weights.shape[1] >= 1 else {
        throw DataError(.invalidArgument, "filterImage: weights must have shape [\(imageShape.height)·"
                        + "\(imageShape.width) = \(pixels), units ≥ 1], got \(weights.shape)")
    }
    let units = weights.shape[1]
    var filters = Tensor(zeros: [units, pixels], dtype: .float64)
    for unit in 0..<units {
        for p in 0..<pixels { filters.setDouble(weights.double(at: p * units + unit), at: unit * pixels + p) }
    }
    let columns = Int(Double(units).squareRoot().rounded(.up))
    let grid = tileShape ?? (rows: (units + columns - 1) / columns, columns: columns)
    return try tileImages(filters, imageShape: imageShape, tileShape: grid, spacing: spacing)
}

/// Writes the picture of a weight matrix's filters (see `filterImage`) as a PNG file.
///
/// Throws `DataError(.invalidArgument)` for a weight matrix that does not fit `imageShape` and
/// `DataError(.io)` when the file cannot be written.
public func writeFilterImage(weights: Tensor, to path: String, imageShape: (height: Int, width: Int) = (28, 28),
                             tileShape: (rows: Int, columns: Int)? = nil,
                             spacing: (rows: Int, columns: Int) = (1, 1)) throws {
    let image = try filterImage(weights: weights, imageShape: imageShape, tileShape: tileShape, spacing: spacing)
    try PNG.writeGrayscale(image, to: path)
}
