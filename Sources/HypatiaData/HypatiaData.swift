/// HypatiaData: dataset readers (IDX, MNIST), gzip, minibatch iteration and splits.
///
/// Re-exports TensorRuntime so that `Tensor` is visible to users of this module alone.
@_exported import TensorRuntime
