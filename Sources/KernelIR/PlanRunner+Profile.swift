import GraphIR
import TensorRuntime

/// The time one plan step took (a diagnostic for benchmarks and tuning).
package struct StepTiming: Sendable {
    /// The step's index in `plan.steps`.
    package let step: Int
    /// The fastest of the timed repetitions, in seconds.
    package let seconds: Double
}

extension PlanRunner {
    /// Times each step of a prepared call on `arguments`: every repetition runs all steps in
    /// order, timing each; returns the fastest time per step. Nil when calls with these
    /// arguments are not prepared (reference steps, data-dependent sizes). Steps that do
    /// nothing (empty gemms) are left out.
    package func profileSteps(_ arguments: [Tensor], repetitions: Int = 20) throws -> [StepTiming]? {
        _ = try run(arguments)
        guard let (prepared, idle) = arenas.takePrepared(arguments) else { return nil }
        let arena = idle ?? arenas.makeArena(prepared.layout)
        defer { arenas.give(arena, prepared.argumentShapes) }
        let (table, storages) = prepared.bind(arguments, arena: arena)
        var best = [Double](repeating: .infinity, count: prepared.steps.count)
        for _ in 0..<max(repetitions, 1) {
            for (i, step) in prepared.steps.enumerated() {
                let start = ContinuousClock.now
                try prepared.run(step, table, self)
                best[i] = min(best[i], (ContinuousClock.now - start).seconds)
            }
        }
        withExtendedLifetime(storages) {}
        return zip(prepared.stepIndices, best).map { StepTiming(step: $0, seconds: $1) }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
