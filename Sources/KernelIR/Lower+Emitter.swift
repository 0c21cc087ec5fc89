import GraphIR
import TensorRuntime

/// Builds one kernel: nested loop scopes, let-bindings hoisted to the outermost scope their
/// operands allow (loop-invariant values are computed once per enclosing iteration), size
/// parameters, buffer slots and index checks.
struct KernelEmitter {
    /// The values behind the kernel's buffers, by slot, and how the kernel uses them.
    private(set) var bufferNodes: [Node] = []
    private(set) var access: [BufferAccess] = []
    private var slotOf: [Node: Int] = [:]
    /// The dims passed as size parameters, by parameter number.
    private(set) var params: [Dim] = []
    private var paramOf: [Dim: Int] = [:]
    private var scopes: [Scope] = [Scope()]
    private var depthOf: [ValueID: Int] = [:]
    private var nextValue = 0
    /// Errors of the `checkIndex` statements, code `firstCode + i` for entry i.
    private(set) var failures: [PlanErrorMessage] = []
    let firstCode: Int32
    /// Set when a flat index had to be divided into axes (a collapsed loop is then not worth it).
    var delinearized = false

    private struct Scope {
        var statements: [KStmt] = []
        var cache: [CacheKey: KExpr] = [:]
        var loopVariable: ValueID?
        var carried: [CarriedValue] = []
    }

    /// A cached value: `node` at `index`; `tag` tells apart derived values (a wrapped index).
    struct CacheKey: Hashable {
        let node: Node
        let index: [KExpr]
        var tag = 0
    }

    init(firstCode: Int32) { self.firstCode = firstCode }

    /// The current nesting depth (0: the kernel body).
    var depth: Int { scopes.count - 1 }

    /// The slot of the buffer holding `node`'s value (a read buffer may later become readWrite).
    mutating func slot(for node: Node, access mode: BufferAccess) -> Int {
        if let slot = slotOf[node] {
            if access[slot] != mode { access[slot] = .readWrite }
            return slot
        }
        slotOf[node] = bufferNodes.count
        bufferNodes.append(node)
        access.append(mode)
        return bufferNodes.count - 1
    }

    /// A dim as an index expression: a constant, or a size parameter.
    mutating func dim(_ d: Dim) -> KExpr {
        if let c = d.constantValue { return .intConstant(Int64(c)) }
        if let p = paramOf[d] { return .param(p) }
        paramOf[d] = params.count
        params.append(d)
        return .param(params.count - 1)
    }

    mutating func freshValue() -> ValueID {
        defer { nextValue += 1 }
        return ValueID(nextValue)
    }

    /// The innermost scope the expression can be evaluated in.
    func depth(of e: KExpr) -> Int {
        switch e {
        case .constant, .intConstant, .param: return 0
        case .value(let id): return depthOf[id] ?? 0
        case .load(_, let index): return depth(of: index)
        case .op(_, let operands): return operands.map(depth(of:)).max() ?? 0
        case .index(_, let a, let b): return max(depth(of: a), depth(of: b))
        }
    }

    /// Binds a non-trivial expression to a value in the outermost scope that can compute it.
    mutating func bind(_ e: KExpr, _ dtype: DType) -> KExpr {
        switch e {
        case .constant, .intConstant, .param, .value: return e
        case .load, .op, .index: break
        }
        let id = freshValue(), target = depth(of: e)
        depthOf[id] = target
        scopes[target].statements.append(.assign(id, dtype, e))
        return .value(id)
    }

    /// Appends a statement to the scope where its operands are available (at most `limit`).
    mutating func emit(_ statement: KStmt, operands: [KExpr], limit: Int? = nil) {
        let target = min(operands.map(depth(of:)).max() ?? 0, limit ?? depth)
        scopes[target].statements.append(statement)
    }

    /// Appends a statement to the current scope.
    mutating func emit(_ statement: KStmt) { scopes[depth].statements.append(statement) }

    /// A value cached for `node` at `index` in an open scope.
    func cached(_ node: Node, _ index: [KExpr], tag: Int = 0) -> KExpr? {
        let key = CacheKey(node: node, index: index, tag: tag)
        for scope in scopes.reversed() { if let v = scope.cache[key] { return v } }
        return nil
    }

    /// Caches `value` for `node` at `index` in the scope where `value` is available.
    mutating func cache(_ node: Node, _ index: [KExpr], _ value: KExpr, tag: Int = 0) {
        scopes[min(depth(of: value), depth)].cache[CacheKey(node: node, index: index, tag: tag)] = value
    }

    /// Aborts the kernel with `error` unless `0 <= index < bound` (emitted where both are known).
    mutating func check(_ index: KExpr, bound: KExpr, _ error: PlanErrorMessage) {
        if case .intConstant(let i) = index, case .intConstant(let n) = bound, i >= 0, i < n { return }
        let code = firstCode + Int32(failures.count)
        failures.append(error)
        emit(.checkIndex(index, bound: bound, code: code), operands: [index, bound])
    }

    /// Opens a loop scope; returns its variable and the ids of its carried values (inside the
    /// body they are the running values, after `closeLoop` the final ones).
    mutating func openLoop(carrying initial: [(DType, KExpr)] = []) -> (ValueID, [ValueID]) {
        let variable = freshValue()
        var scope = Scope()
        scope.loopVariable = variable
        scope.carried = initial.map { CarriedValue(id: freshValue(), dtype: $0.0, initial: $0.1) }
        scopes.append(scope)
        depthOf[variable] = depth
        for c in scope.carried { depthOf[c.id] = depth }
        return (variable, scope.carried.map(\.id))
    }

    /// Closes the innermost loop (yielding `yields` for its carried values) into its parent.
    mutating func closeLoop(lower: KExpr = .intConstant(0), upper: KExpr, yields: [KExpr] = [],
                            parallel: Bool = false, vectorize: Bool = false) {
        var scope = scopes.removeLast()
        precondition(yields.count == scope.carried.count, "loop yields \(yields.count) of \(scope.carried.count)")
        if !yields.isEmpty { scope.statements.append(.yield(yields)) }
        for c in scope.carried { depthOf[c.id] = depth }
        let loop = Loop(variable: scope.loopVariable!, lower: lower, upper: upper, carried: scope.carried,
                        body: scope.statements, parallel: parallel, vectorize: vectorize)
        scopes[depth].statements.append(.loop(loop))
    }

    /// The finished kernel (buffer names are placeholders until the plan names them).
    func kernel(named name: String, bufferTypes: [DType]) -> Kernel {
        precondition(scopes.count == 1, "unclosed loops in \(name)")
        let buffers = bufferTypes.enumerated().map { i, dtype in
            KernelBuffer(name: "buf\(i)", dtype: dtype, access: access[i])
        }
        return Kernel(name: name, buffers: buffers, paramNames: params.indices.map { "p\($0)" },
                      body: scopes[0].statements)
    }
}
