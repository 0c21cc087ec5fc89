/// A (semi-)orthogonal matrix times `gain` (Lasagne's `Orthogonal`, Saxe et al. 2013).
///
/// The shape is viewed as a matrix `shape[0] × product(shape[1...])`; a standard normal matrix
/// of that shape is orthonormalized (QR by modified Gram–Schmidt with reorthogonalization, in
/// Double) along its shorter side, so the rows are orthonormal when there are fewer rows than
/// columns and the columns are otherwise, then reshaped back. Use `gain: 2.0.squareRoot()` for
/// rectifiers.
public struct Orthogonal: Initializer {
    /// The factor on the standard deviation (√2 for rectifiers).
    public var gain: Double
    /// An initializer with the given gain.
    public init(gain: Double = 1) { self.gain = gain }

    public func sample(shape: [Int], dtype: DType, generator: inout RandomGenerator) throws(GraphError) -> Tensor {
        try requireFans(shape, "Orthogonal")
        let rows = shape[0]
        let cols = shape.dropFirst().reduce(1, *)
        let normal = Tensor(randomNormal: [rows * cols], dtype: .float64, generator: &generator).scalars
        // Orthonormalize the vectors along the longer side: columns of a tall matrix, rows of a wide one.
        let tall = rows >= cols
        let (count, length) = tall ? (cols, rows) : (rows, cols)
        var vectors = (0..<count).map { v in
            (0..<length).map { e in tall ? normal[e * cols + v] : normal[v * cols + e] }
        }
        Self.orthonormalize(&vectors)
        var values = [Double](repeating: 0, count: rows * cols)
        for v in 0..<count {
            for e in 0..<length { values[tall ? e * cols + v : v * cols + e] = gain * vectors[v][e] }
        }
        do {
            return try Tensor(shape: shape, values: values, dtype: dtype)
        } catch {
            throw GraphError(.argument, op: "Orthogonal", "cannot make a \(dtype) tensor of shape \(shape): \(error)")
        }
    }

    /// Modified Gram–Schmidt, twice per vector (numerically orthogonal to Double precision).
    static func orthonormalize(_ vectors: inout [[Double]]) {
        for i in vectors.indices {
            for _ in 0..<2 {
                for j in 0..<i {
                    let projection = zip(vectors[i], vectors[j]).reduce(0) { $0 + $1.0 * $1.1 }
                    for e in vectors[i].indices { vectors[i][e] -= projection * vectors[j][e] }
                }
            }
            let norm = vectors[i].reduce(0) { $0 + $1 * $1 }.squareRoot()
            // A normal draw is linearly dependent with probability 0; keep the zero vector then.
            if norm > 0 { for e in vectors[i].indices { vectors[i][e] /= norm } }
        }
    }
}
