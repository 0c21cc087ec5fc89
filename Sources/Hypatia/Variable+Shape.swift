import GraphIR
import TensorRuntime

/// One entry of a dimshuffle pattern: an input axis (`0`, `1`, ...) or `"x"` for a new
/// size-1 axis. Any other string is recorded as an error by `dimshuffle`.
public enum DimshuffleEntry: Sendable, Hashable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    /// Input axis `i`.
    case axis(Int)
    /// A new broadcastable axis of size 1 (`"x"`).
    case newAxis
    /// A string other than `"x"` (an error when used).
    case invalid(String)

    public init(integerLiteral value: Int) { self = .axis(value) }
    public init(stringLiteral value: String) { self = value == "x" ? .newAxis : .invalid(value) }
}

/// x viewed with a new shape; at most one extent may be -1 (inferred).
public func reshape(_ x: Variable, _ shape: [Int], file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.reshape(x.node, shape, at: here(file, line)))
}

/// Theano's flatten: keeps the first `outdim - 1` axes and merges the rest.
public func flatten(_ x: Variable, outdim: Int = 1, file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.flatten(x.node, outdim: outdim, at: here(file, line)))
}

/// Permutes the axes (nil: reverses them).
public func transpose(_ x: Variable, axes: [Int]? = nil, file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.transpose(x.node, axes: axes, at: here(file, line)))
}

/// Theano's dimshuffle, e.g. `dimshuffle(b, "x", 0)` turns a vector into a row.
public func dimshuffle(_ x: Variable, _ pattern: DimshuffleEntry..., file: String = #fileID,
                       line: Int = #line) -> Variable {
    makeDimshuffle(x.node, pattern, at: here(file, line))
}

/// The dimshuffle node for `pattern`, or a node recording an invalid entry.
private func makeDimshuffle(_ x: Node, _ pattern: [DimshuffleEntry], at loc: SourceLocation) -> Variable {
    var axes: [Int?] = []
    for entry in pattern {
        switch entry {
        case .axis(let i): axes.append(i)
        case .newAxis: axes.append(nil)
        case .invalid(let text):
            let error = GraphError(.argument, op: "dimshuffle",
                                   "pattern entry \"\(text)\" is neither an axis nor \"x\"", at: loc)
            return Variable(Node.failed(error, type: x.type, inputs: [x], at: loc))
        }
    }
    return Variable(Build.dimshuffle(x, axes, at: loc))
}

/// Joins tensors along an existing `axis` (dtypes promoted).
public func concatenate(_ xs: [Variable], axis: Int = 0, file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.concatenate(xs.map(\.node), axis: axis, at: here(file, line)))
}

/// Stacks same-shaped tensors along a new `axis`.
public func stack(_ xs: [Variable], axis: Int = 0, file: String = #fileID, line: Int = #line) -> Variable {
    Variable(Build.stack(xs.map(\.node), axis: axis, at: here(file, line)))
}

extension Variable {
    /// This variable viewed with a new shape; at most one extent may be -1 (inferred).
    public func reshape(_ shape: [Int], file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.reshape(node, shape, at: here(file, line)))
    }

    /// Keeps the first `outdim - 1` axes and merges the rest.
    public func flatten(outdim: Int = 1, file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.flatten(node, outdim: outdim, at: here(file, line)))
    }

    /// Permutes the axes (nil: reverses them).
    public func transpose(axes: [Int]? = nil, file: String = #fileID, line: Int = #line) -> Variable {
        Variable(Build.transpose(node, axes: axes, at: here(file, line)))
    }

    /// Theano's dimshuffle, e.g. `b.dimshuffle("x", 0)`.
    public func dimshuffle(_ pattern: DimshuffleEntry..., file: String = #fileID, line: Int = #line) -> Variable {
        makeDimshuffle(node, pattern, at: here(file, line))
    }
}
