import GraphIR
import KernelIR
import Testing
import TensorRuntime

@Suite struct ScheduleTests {
    @Test func printW2() {
        print(printGraph(Workloads.w2(batch: nil)))
    }
}
