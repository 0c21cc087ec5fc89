/// Prints a graph in the MLIR-like text form of DESIGN.md §3 (deterministic).
package func printGraph(_ graph: Graph) -> String { unimplemented() }

/// Checks a graph's internal invariants (every node's type equals its op's type rule applied
/// to its inputs, leaves have no inputs, no recorded errors). Returns one line per problem.
package func verifyGraph(_ graph: Graph) -> [String] { unimplemented() }
