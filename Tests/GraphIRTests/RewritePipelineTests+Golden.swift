import GraphIR

extension RewritePipelineTests {
    /// `logisticStep()` as built: the cost reads log(softmax(z)[i, y]); its gradient was
    /// already taken on the stabilized cost (logSoftmax, no division by a probability).
    static let goldenBefore = """
        graph @train(%x: f32[?x0,4], %y: i32[?y0], %lr: f32[], %W: f32[4,3]) -> (f32[], f32[4,3]) {
          %0 = dot %x, %W : f32[?x0,3]
          %1 = constant 0.5 : f32[]
          %2 = broadcast %1 {shape=[?x0,3]} : f32[?x0,3]
          %3 = add %0, %2 : f32[?x0,3]
          %4 = softmax %3 {axis=1} : f32[?x0,3]
          %5 = constant 0 : i64[]
          %6 = dimension %4 {axis=0} : i64[]
          %7 = constant 1 : i64[]
          %8 = arange %5, %6, %7 {length=?x0} : i64[?x0]
          %9 = cast<i64> %y : i64[?y0]
          %10 = advancedIndex %4, %8, %9 : f32[?x0]
          %11 = log %10 : f32[?x0]
          %12 = neg %11 : f32[?x0]
          %13 = mean %12 {axes=[0]} : f32[]
          %14 = broadcast %lr {shape=[4,3]} : f32[4,3]
          %15 = dimshuffle %x {pattern=[1,0]} : f32[4,?x0]
          %16 = constant 0.0 : f32[]
          %17 = logSoftmax %3 {axis=1} : f32[?x0,3]
          %18 = dimension %17 {axis=0} : i64[]
          %19 = constant 3 : i64[]
          %20 = alloc %16, %18, %19 {shape=[?x0,3]} : f32[?x0,3]
          %21 = constant 1.0 : f32[]
          %22 = dimshuffle %21 {pattern=[x]} : f32[1]
          %23 = broadcast %22 {shape=[?x0]} : f32[?x0]
          %24 = advancedIndex %17, %8, %9 : f32[?x0]
          %25 = neg %24 : f32[?x0]
          %26 = dimension %25 {axis=0} : i64[]
          %27 = cast<f32> %26 : f32[]
          %28 = broadcast %27 {shape=[?x0]} : f32[?x0]
          %29 = div %23, %28 : f32[?x0]
          %30 = neg %29 : f32[?x0]
          %31 = setAdvancedIndex %20, %30, %8, %9 {accumulate=true} : f32[?x0,3]
          %32 = exp %17 : f32[?x0,3]
          %33 = sum %31 {axes=[1], keepDims=true} : f32[?x0,1]
          %34 = broadcast %33 {shape=[?x0,3]} : f32[?x0,3]
          %35 = mul %32, %34 : f32[?x0,3]
          %36 = sub %31, %35 : f32[?x0,3]
          %37 = dot %15, %36 : f32[4,3]
          %38 = mul %14, %37 : f32[4,3]
          %39 = sub %W, %38 : f32[4,3]
          return %13, %39
        }

        """

    /// After `.fastRun`: gemm for the affine map and the SGD update (transposed x), one
    /// logSoftmax shared by cost and gradient, mean as sum / n, shape queries on the input x.
    static let goldenAfter = """
        graph @train(%x: f32[?x0,4], %y: i32[?y0], %lr: f32[], %W: f32[4,3]) -> (f32[], f32[4,3]) {
          %0 = constant 0.5 : f32[]
          %1 = broadcast %0 {shape=[?x0,3]} : f32[?x0,3]
          %2 = constant 1.0 : f32[]
          %3 = gemm %1, %2, %x, %W, %2 : f32[?x0,3]
          %4 = logSoftmax %3 {axis=1} : f32[?x0,3]
          %5 = constant 0 : i64[]
          %6 = dimension %x {axis=0} : i64[]
          %7 = constant 1 : i64[]
          %8 = arange %5, %6, %7 {length=?x0} : i64[?x0]
          %9 = cast<i64> %y : i64[?y0]
          %10 = advancedIndex %4, %8, %9 : f32[?x0]
          %11 = neg %10 : f32[?x0]
          %12 = sum %11 {axes=[0]} : f32[]
          %13 = cast<f32> %6 : f32[]
          %14 = div %12, %13 : f32[]
          %15 = neg %lr : f32[]
          %16 = constant 0.0 : f32[]
          %17 = constant 3 : i64[]
          %18 = alloc %16, %6, %17 {shape=[?x0,3]} : f32[?x0,3]
          %19 = broadcast %2 {shape=[?x0]} : f32[?x0]
          %20 = broadcast %13 {shape=[?x0]} : f32[?x0]
          %21 = div %19, %20 : f32[?x0]
          %22 = neg %21 : f32[?x0]
          %23 = setAdvancedIndex %18, %22, %8, %9 {accumulate=true} : f32[?x0,3]
          %24 = softmax %3 {axis=1} : f32[?x0,3]
          %25 = sum %23 {axes=[1], keepDims=true} : f32[?x0,1]
          %26 = broadcast %25 {shape=[?x0,3]} : f32[?x0,3]
          %27 = mul %24, %26 : f32[?x0,3]
          %28 = sub %23, %27 : f32[?x0,3]
          %29 = gemm %W, %15, %x, %28, %2 {transA=true} : f32[4,3]
          return %14, %29
        }

        """
}
