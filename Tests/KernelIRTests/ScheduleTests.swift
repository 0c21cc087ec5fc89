import GraphIR
import KernelIR
import Testing
import TensorRuntime

@Suite struct ScheduleTests {
    @Test func printW1() throws {
        let plan = try LowerCheck.expectMatches(Workloads.w1(), [LowerCheck.random([1000], seed: 1)])
        print(printPlan(plan))
    }

    @Test func printW2() throws {
        let g = Workloads.w2(batch: nil, sizes: (7, 5, 4))
        let args = [LowerCheck.random([6, 7], seed: 1), LowerCheck.integers([6], 0...3, seed: 2),
                    LowerCheck.random([7, 5], seed: 3), LowerCheck.random([5], seed: 4),
                    LowerCheck.random([5, 4], seed: 5), LowerCheck.random([4], seed: 6)]
        let plan = try LowerCheck.expectMatches(g, args)
        print(printPlan(plan))
    }
}
