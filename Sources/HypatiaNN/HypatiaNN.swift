/// HypatiaNN: Lasagne-style layers, initializers, nonlinearities, objectives, regularizers,
/// update rules and training helpers on top of Hypatia.
///
/// `import HypatiaNN` is all a model script needs: it re-exports Hypatia (symbolic API,
/// `function`) and HypatiaData (MNIST, minibatches).
@_exported import Hypatia
@_exported import HypatiaData
