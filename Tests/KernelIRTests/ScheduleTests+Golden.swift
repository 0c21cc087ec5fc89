import GraphIR
import KernelIR
import Testing
import TensorRuntime

extension ScheduleTests {
    @Test func w1GoldenKernel() throws {
        let plan = try lower(Workloads.w1())
        #expect(printKernel(plan.kernels[0]) == """
            kernel @k0(%x: f32 read, %t1: f32 write; x0) {
              for %v0 in 0..<x0 parallel vectorize {
                %v1 = load %x[%v0] : f32
                store %t1[%v0], sub(mul(tanh(add(mul(0.699999988079071, %v1), 0.10000000149011612)), sigmoid(%v1)), \
            mul(exp(mul(neg(%v1), %v1)), 0.5))
              }
            }

            """)
    }

    @Test func softmaxRowGoldenKernel() throws {
        let x = G.input("x", [nil, 10])
        let plan = try lower(G.graph([x], [G.softmax(x)]))
        #expect(printKernel(plan.kernels[0]) == """
            kernel @k0(%x: f32 read, %t1: f32 write; x0) {
              for %v0 in 0..<x0 parallel {
                for %v1 in 0..<10 iter(%v2 = -inf : f32) vectorize {
                  %v3 = load %x[%v0 * 10 + %v1] : f32
                  yield maximum(%v2, %v3)
                }
                for %v4 in 0..<10 iter(%v5 = 0.0 : f32) vectorize {
                  %v6 = load %x[%v0 * 10 + %v4] : f32
                  %v7 = exp(sub(%v6, %v2)) : f32
                  yield add(%v5, %v7)
                }
                for %v8 in 0..<10 vectorize {
                  %v9 = load %x[%v0 * 10 + %v8] : f32
                  %v10 = exp(sub(%v9, %v2)) : f32
                  store %t1[%v0 * 10 + %v8], div(%v10, %v5)
                }
              }
            }

            """)
    }

    @Test func crossEntropyRowGoldenKernel() throws {
        let z = G.input("z", [nil, 10]), y = G.input("y", [nil], .int64)
        let plan = try lower(G.graph([z, y], [G.crossentropy(G.softmax(z), y)]))
        #expect(printKernel(plan.kernels[0]) == """
            kernel @k0(%z: f32 read, %y: i64 read, %t2: f32 write; z0, y0) {
              check 0 <= y0 - z0 < 1 else return 1
              for %v0 in 0..<z0 parallel {
                for %v1 in 0..<10 iter(%v2 = -inf : f32) vectorize {
                  %v3 = load %z[%v0 * 10 + %v1] : f32
                  yield maximum(%v2, %v3)
                }
                for %v4 in 0..<10 iter(%v5 = 0.0 : f32) vectorize {
                  %v6 = load %z[%v0 * 10 + %v4] : f32
                  %v7 = exp(sub(%v6, %v2)) : f32
                  yield add(%v5, %v7)
                }
                %v8 = load %y[%v0] : i64
                %v9 = select(lt(%v8, 0_i64), %v8 + 10, %v8) : i64
                check 0 <= %v9 < 10 else return 2
                %v10 = load %z[%v0 * 10 + %v9] : f32
                %v11 = exp(sub(%v10, %v2)) : f32
                store %t2[%v0], neg(log(div(%v11, %v5)))
              }
            }

            """)
    }
}

extension ScheduleTests {
    @Test func columnSumGoldenKernel() throws {
        let x = G.input("x", [nil, 8])
        let plan = try lower(G.graph([x], [G.reduce(.mean, G.mul(x, x), [0])]))
        #expect(printKernel(plan.kernels[0]) == """
            kernel @k0(%t1: f32 readWrite, %x: f32 read; x0) {
              for %v0 in 0..<8 vectorize {
                store %t1[%v0], 0.0
              }
              for %v1 in 0..<x0 {
                for %v2 in 0..<8 vectorize {
                  %v3 = load %x[%v1 * 8 + %v2] : f32
                  store %t1[%v2], add(load %t1[%v2], mul(%v3, %v3))
                }
              }
              for %v4 in 0..<8 vectorize {
                %v5 = div(load %t1[%v4], cast<f32>(x0)) : f32
                store %t1[%v4], %v5
              }
            }

            """)
    }
}
