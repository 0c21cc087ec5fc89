/// The header of a numpy `.npy` file: dtype descriptor, memory order and shape.
///
/// On disk it is a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`, padded with spaces and a
/// final newline so that the data starts at a multiple of 64 bytes.
package struct NPYHeader: Equatable {
    /// The element dtype.
    package var dtype: DType
    /// True when the file's bytes are big-endian and must be swapped on this machine.
    package var byteSwapped: Bool
    /// True when the data is stored column-major.
    package var fortranOrder: Bool
    /// The array's shape.
    package var shape: [Int]

    /// A header from its parts (little-endian, C order by default).
    package init(dtype: DType, byteSwapped: Bool = false, fortranOrder: Bool = false, shape: [Int]) {
        self.dtype = dtype
        self.byteSwapped = byteSwapped
        self.fortranOrder = fortranOrder
        self.shape = shape
    }

    /// The little-endian descriptor numpy writes for a dtype (`<f4`, `|u1`, `|b1`, ...).
    package static func descriptor(of dtype: DType) -> String {
        switch dtype {
        case .float32: return "<f4"
        case .float64: return "<f8"
        case .int32: return "<i4"
        case .int64: return "<i8"
        case .uint8: return "|u1"
        case .bool: return "|b1"
        }
    }

    /// The dict literal for this header, without padding.
    package var literal: String {
        let dims: String
        switch shape.count {
        case 0: dims = "()"
        case 1: dims = "(\(shape[0]),)"
        default: dims = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        let order = fortranOrder ? "True" : "False"
        return "{'descr': '\(Self.descriptor(of: dtype))', 'fortran_order': \(order), 'shape': \(dims), }"
    }

    /// Parses a header dict literal. Throws `.format` for malformed text and `.dtype` for a
    /// descriptor Hypatia cannot hold.
    package init(parsing text: String) throws {
        var parser = PythonLiteralParser(text)
        guard case .dict(let entries) = try parser.parseTopLevel() else {
            throw TensorError(.format, "npy header is not a dict: \(text)")
        }
        guard case .string(let descr)? = entries["descr"] else {
            throw TensorError(.format, "npy header has no string 'descr': \(text)")
        }
        guard case .bool(let fortran)? = entries["fortran_order"] else {
            throw TensorError(.format, "npy header has no boolean 'fortran_order': \(text)")
        }
        guard case .tuple(let items)? = entries["shape"] else {
            throw TensorError(.format, "npy header has no tuple 'shape': \(text)")
        }
        var dims: [Int] = []
        for item in items {
            guard case .int(let n) = item, n >= 0 else {
                throw TensorError(.format, "npy header shape has a non-integer or negative extent: \(text)")
            }
            dims.append(n)
        }
        let (dtype, swapped) = try Self.parseDescriptor(descr)
        self.init(dtype: dtype, byteSwapped: swapped, fortranOrder: fortran, shape: dims)
    }

    /// Maps a descriptor such as `<f4`, `>i8`, `=f8`, `|u1` to a dtype and byte order.
    package static func parseDescriptor(_ descr: String) throws -> (DType, byteSwapped: Bool) {
        guard let order = descr.first else { throw TensorError(.format, "empty npy dtype descriptor") }
        let code = String(descr.dropFirst())
        let dtypes: [String: DType] = ["f4": .float32, "f8": .float64, "i4": .int32, "i8": .int64,
                                       "u1": .uint8, "b1": .bool]
        guard "<>=|".contains(order), let dtype = dtypes[code] else {
            throw TensorError(.dtype, "unsupported npy dtype '\(descr)' (supported: <f4 <f8 <i4 <i8 |u1 |b1)")
        }
        let bigEndian = order == ">" || (order == "=" && UInt32(1).bigEndian == 1)
        return (dtype, bigEndian != (UInt32(1).bigEndian == 1) && dtype.byteSize > 1)
    }
}

/// A value of the tiny Python literal subset used by npy headers.
package enum PythonLiteral: Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case tuple([PythonLiteral])
    case dict([String: PythonLiteral])
}

/// A recursive-descent parser for Python dict/tuple/list/str/int/bool literals.
package struct PythonLiteralParser {
    private let chars: [Character]
    private var position = 0

    /// A parser over `text`.
    package init(_ text: String) { chars = Array(text) }

    /// Parses one literal that must span the whole text (surrounding spaces allowed).
    package mutating func parseTopLevel() throws -> PythonLiteral {
        let value = try parseValue(depth: 0)
        skipSpaces()
        guard position == chars.count else { throw failure("unexpected text after the literal") }
        return value
    }

    private func failure(_ what: String) -> TensorError {
        TensorError(.format, "malformed npy header at offset \(position): \(what)")
    }

    private mutating func skipSpaces() {
        while position < chars.count, chars[position].isWhitespace { position += 1 }
    }

    private mutating func expect(_ c: Character) throws {
        skipSpaces()
        guard position < chars.count, chars[position] == c else { throw failure("expected '\(c)'") }
        position += 1
    }

    /// Consumes `c` if it is the next non-space character.
    private mutating func accept(_ c: Character) -> Bool {
        skipSpaces()
        guard position < chars.count, chars[position] == c else { return false }
        position += 1
        return true
    }

    private mutating func parseValue(depth: Int) throws -> PythonLiteral {
        guard depth < 32 else { throw failure("nesting too deep") }
        skipSpaces()
        guard position < chars.count else { throw failure("unexpected end") }
        switch chars[position] {
        case "{": return try parseDict(depth: depth)
        case "(": position += 1; return .tuple(try parseItems(until: ")", depth: depth))
        case "[": position += 1; return .tuple(try parseItems(until: "]", depth: depth))
        case "'", "\"": return .string(try parseString())
        default: return try parseWord()
        }
    }

    private mutating func parseDict(depth: Int) throws -> PythonLiteral {
        try expect("{")
        var entries: [String: PythonLiteral] = [:]
        while !accept("}") {
            skipSpaces()
            guard position < chars.count, chars[position] == "'" || chars[position] == "\"" else {
                throw failure("expected a string key")
            }
            let key = try parseString()
            try expect(":")
            entries[key] = try parseValue(depth: depth + 1)
            if !accept(",") {
                try expect("}")
                break
            }
        }
        return .dict(entries)
    }

    private mutating func parseItems(until close: Character, depth: Int) throws -> [PythonLiteral] {
        var items: [PythonLiteral] = []
        while !accept(close) {
            items.append(try parseValue(depth: depth + 1))
            if !accept(",") {
                try expect(close)
                break
            }
        }
        return items
    }

    private mutating func parseString() throws -> String {
        let quote = chars[position]
        position += 1
        var result = ""
        while position < chars.count, chars[position] != quote {
            guard chars[position] != "\\" else { throw failure("escapes in strings are not supported") }
            result.append(chars[position])
            position += 1
        }
        guard position < chars.count else { throw failure("unterminated string") }
        position += 1
        return result
    }

    /// An integer (optionally with an `L` suffix, as Python 2 wrote), `True` or `False`.
    private mutating func parseWord() throws -> PythonLiteral {
        let start = position
        while position < chars.count, chars[position].isLetter || chars[position].isNumber || chars[position] == "-" {
            position += 1
        }
        var word = String(chars[start..<position])
        switch word {
        case "True": return .bool(true)
        case "False": return .bool(false)
        default:
            if word.hasSuffix("L") { word.removeLast() }
            guard let n = Int(word) else { throw failure("unexpected token '\(word)'") }
            return .int(n)
        }
    }
}
