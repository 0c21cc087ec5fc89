import TensorRuntime

/// Tiles flattened images into one grayscale picture: the Theano tutorials'
/// `tile_raster_images` (utils.py), used to look at MNIST digits and learned filters.
///
/// Row `k` of `images` (shape `[n, height·width]` or `[n, height, width]`, row-major pixels) is
/// shaped as `imageShape` and placed at tile `(k / columns, k % columns)`; tiles are separated by
/// `spacing` black pixels and tiles beyond `n` stay black. With `scaleToUnitInterval` each
/// image is first mapped to `[0, 1]` on its own, `(x - min) / (max - min + 1e-8)`, as in the
/// tutorial; without it the values are taken as intensities in `[0, 1]` (uint8 images as
/// pixel values) and clamped. Pixels are `value · 255` truncated to an integer, as numpy's
/// assignment into the tutorial's uint8 array does.
///
/// - Returns: a uint8 tensor of shape `[(h + sh)·rows - sh, (w + sw)·columns - sw]`, ready for
///   `PNG.writeGrayscale(_:to:)`.
/// - Throws: `DataError(.invalidArgument)` when `images` is not float or uint8 with `height·width`
///   pixels per row, or a shape, tile count or spacing is not positive (spacing may be 0).
public func tileImages(_ images: Tensor, imageShape: (height: Int, width: Int),
                       tileShape: (rows: Int, columns: Int), spacing: (rows: Int, columns: Int) = (1, 1),
                       scaleToUnitInterval: Bool = true) throws -> Tensor {
    let (h, w) = imageShape
    try checkTiling(images, imageShape: imageShape, tileShape: tileShape, spacing: spacing)
    let outHeight = (h + spacing.rows) * tileShape.rows - spacing.rows
    let outWidth = (w + spacing.columns) * tileShape.columns - spacing.columns
    var pixels = [UInt8](repeating: 0, count: outHeight * outWidth)
    let tiles = min(images.shape[0], tileShape.rows * tileShape.columns)
    for k in 0..<tiles {
        let values = imageIntensities(images, row: k, scale: scaleToUnitInterval)
        let top = (k / tileShape.columns) * (h + spacing.rows)
        let left = (k % tileShape.columns) * (w + spacing.columns)
        for y in 0..<h {
            for x in 0..<w {
                pixels[(top + y) * outWidth + left + x] = pixelValue(values[y * w + x])
            }
        }
    }
    return try Tensor(shape: [outHeight, outWidth], scalars: pixels)
}

/// Throws unless the arguments of `tileImages` describe a valid layout.
private func checkTiling(_ images: Tensor, imageShape: (height: Int, width: Int),
                         tileShape: (rows: Int, columns: Int), spacing: (rows: Int, columns: Int)) throws {
    guard imageShape.height >= 1, imageShape.width >= 1, tileShape.rows >= 1, tileShape.columns >= 1,
          spacing.rows >= 0, spacing.columns >= 0 else {
        throw DataError(.invalidArgument, "tileImages: image shape \(imageShape) and tile shape \(tileShape) "
                        + "must be positive, spacing \(spacing) non-negative")
    }
    guard images.rank >= 2, images.shape.dropFirst().reduce(1, *) == imageShape.height * imageShape.width else {
        throw DataError(.invalidArgument, "tileImages: images must have shape [n, \(imageShape.height)·"
                        + "\(imageShape.width) = \(imageShape.height * imageShape.width)] or "
                        + "[n, \(imageShape.height), \(imageShape.width)], got \(images.shape)")
    }
    switch images.dtype {
    case .float32, .float64, .uint8: return
    case .int32, .int64, .bool:
        throw DataError(.invalidArgument, "tileImages: images have dtype \(images.dtype); use float or uint8")
    }
}

/// Row `row` of `images` as intensities: scaled to `[0, 1]` per image, or taken as they are
/// (uint8 divided by 255).
private func imageIntensities(_ images: Tensor, row: Int, scale: Bool) -> [Double] {
    let size = images.shape.dropFirst().reduce(1, *)
    var values = (0..<size).map { images.double(at: row * size + $0) }
    if scale {
        let low = values.min() ?? 0
        let high = (values.max() ?? 0) - low
        values = values.map { ($0 - low) * (1 / (high + 1e-8)) }
    } else if images.dtype == .uint8 {
        values = values.map { $0 / 255 }
    }
    return values
}

/// An intensity in `[0, 1]` as a pixel: clamped, times 255, truncated (NaN is black).
private func pixelValue(_ intensity: Double) -> UInt8 {
    guard !intensity.isNaN else { return 0 }
    return UInt8(min(max(intensity, 0), 1) * 255)
}
