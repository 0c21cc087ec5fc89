extension VJP {
    /// broadcast: g summed over the added leading axes and the size-1 axes x was repeated
    /// along, then reshaped to x's shape.
    static func broadcast(_ y: Node, _ g: Node) -> Node {
        let b = Builder(y), x = y.inputs[0]
        let lead = y.type.rank - x.type.rank
        var axes = Array(0..<lead)
        for (i, dim) in x.type.shape.enumerated() where dim.isOne && !y.type.shape[lead + i].isOne {
            axes.append(lead + i)
        }
        return b.fit(axes.isEmpty ? g : b.sum(g, axes: axes, keepDims: false), to: x)
    }

    /// reshape: g reshaped back to x's dims.
    static func reshape(_ y: Node, _ g: Node) -> Node {
        Build.reshape(g, dims: y.inputs[0].type.shape, at: y.location)
    }

    /// dimshuffle: the inverse dimshuffle (new axes dropped, dropped size-1 axes re-added).
    static func dimshuffle(_ pattern: [Int?], _ y: Node, _ g: Node) -> Node {
        let x = y.inputs[0]
        let inverse: [Int?] = (0..<x.type.rank).map { axis in pattern.firstIndex(of: axis) }
        return Build.dimshuffle(g, inverse, at: y.location)
    }

    /// alloc(value, extents...): value gets sum(g); the extents are integers.
    static func alloc(_ y: Node, _ g: Node) -> [Node?] {
        let b = Builder(y)
        return [b.sum(g, axes: nil, keepDims: false)] + y.inputs.dropFirst().map { _ in nil }
    }

    /// concatenate: input i gets the slice of g along `axis` that it filled.
    static func concatenate(axis: Int, _ y: Node, _ g: Node) -> [Node?] {
        let sizes = y.inputs.map { $0.type.shape[axis] }
        return y.inputs.indices.map { i in
            if let range = staticRange(sizes, piece: i) {
                let specs = Array(repeating: SliceSpec.all, count: axis) + [range]
                return Build.slice(g, specs, at: y.location)
            }
            return dynamicPiece(axis: axis, y, g, piece: i)
        }
    }

    /// The slice `start..<stop` of piece `i` with constant bounds, counting from the end
    /// (negative bounds) where only the trailing extents are static; nil if neither works.
    private static func staticRange(_ sizes: [Dim], piece i: Int) -> SliceSpec? {
        let zero = Dim.constant(0)
        let before = sizes[..<i].reduce(zero, +), from = sizes[i...].reduce(zero, +)
        let through = before + sizes[i], after = sizes[(i + 1)...].reduce(zero, +)
        let start: Int?, stop: Int?
        if let v = before.constantValue { start = v == 0 ? nil : v }
        else if let v = from.constantValue, v > 0 { start = -v }
        else { return nil }
        if after.constantValue == 0 { stop = nil }
        else if let v = through.constantValue { stop = v }
        else if let v = after.constantValue, v > 0 { stop = -v }
        else { return nil }
        return .range(start: start, stop: stop, step: 1)
    }

    /// Piece `i` of g when its bounds are symbolic: `axis` moved to the front, picked with
    /// `arange(start, stop)` built from `dimension` nodes, and moved back.
    private static func dynamicPiece(axis: Int, _ y: Node, _ g: Node, piece i: Int) -> Node {
        let b = Builder(y), rank = y.type.rank
        var start = Build.scalar(0, dtype: .int64, at: b.loc)
        for j in 0..<i { start = b.add(start, Build.dimension(y.inputs[j], axis: axis, at: b.loc)) }
        let stop = b.add(start, Build.dimension(y.inputs[i], axis: axis, at: b.loc))
        let one = Build.scalar(1, dtype: .int64, at: b.loc)
        let index = Build.arange(start, stop, one, dtype: .int64, at: b.loc)
        let perm = [axis] + (0..<rank).filter { $0 != axis }
        let inverse = (0..<rank).map { perm.firstIndex(of: $0)! }
        let front = Build.transpose(g, axes: perm, at: b.loc)
        let picked = Build.advancedIndex(front, [index], at: b.loc)
        return Build.transpose(picked, axes: inverse, at: b.loc)
    }
}
