extension VJP {
    /// slice: g written into zeros shaped like x at the sliced region.
    static func slice(_ specs: [SliceSpec], _ y: Node, _ g: Node) -> Node {
        let b = Builder(y)
        let region = Build.slice(b.zeros(like: y.inputs[0]), specs, at: b.loc)
        return Build.setSubtensor(region, g, accumulate: true, at: b.loc)
    }

    /// advancedIndex(x, idx...): g added into zeros like x at the indexed positions (repeated
    /// indices accumulate); the indices are integers.
    static func advancedIndex(_ y: Node, _ g: Node) -> [Node?] {
        let b = Builder(y), indices = Array(y.inputs.dropFirst())
        let region = Build.advancedIndex(b.zeros(like: y.inputs[0]), indices, at: b.loc)
        return [Build.setSubtensor(region, g, accumulate: true, at: b.loc)] + indices.map { _ in nil }
    }

    /// setSlice(x, values): x gets g (increment) or g with the written region zeroed (set);
    /// values get the slice of g.
    static func setSlice(_ specs: [SliceSpec], accumulate: Bool, _ y: Node, _ g: Node) -> [Node?] {
        let b = Builder(y)
        let written = Build.slice(g, specs, at: b.loc)
        let dx = accumulate ? g : Build.setSubtensor(written, b.scalar(0, like: g), accumulate: false, at: b.loc)
        return [dx, written]
    }

    /// setAdvancedIndex(x, values, idx...): like setSlice with a gather of g.
    ///
    /// Caveat (as in Theano): with repeated indices and `accumulate == false` only the last
    /// write survives, yet every written value gets the gathered gradient.
    static func setAdvancedIndex(accumulate: Bool, _ y: Node, _ g: Node) -> [Node?] {
        let b = Builder(y), indices = Array(y.inputs.dropFirst(2))
        let written = Build.advancedIndex(g, indices, at: b.loc)
        let dx = accumulate ? g : Build.setSubtensor(written, b.scalar(0, like: g), accumulate: false, at: b.loc)
        return [dx, written] + indices.map { _ in nil }
    }
}
