/// One row of the peer table: each peer's minimum time (nil where the peer has no number).
struct PeerRow: Codable, Sendable {
    let numpy: Double?
    let pytensorC: Double?
    let pytensorNumba: Double?
    let jax: Double?
    let torch: Double?
    let torchCompile: Double?
    /// The best peer (for W1 1T the README notes a hand-written C loop with libmvec: 2.82 ms).
    let best: Double?
}

/// The peer numbers measured on this machine (AMD EPYC Zen 5, 2 cores, AVX-512), copied from
/// the table "Peers, measured here" in `/work/shared/bench/README.md` (min over runs;
/// numpy 2.4.6, pytensor 3.0.7, jax 0.10.2, torch 2.15.0, Debian OpenBLAS 0.3.21, all with
/// OPENBLAS_CORETYPE unset). Units as in `WorkloadID.unit`: ms, and seconds for W4 (which
/// the peers measured with 2 threads only). W5's PyTorch entry is nn.LSTM. The README has
/// no 2T row for W2 b20 and no peer number for the call overhead.
enum PeerTable {
    /// The row for `workload` measured with `threads` threads (1T unless `threads == 2`).
    static func row(_ workload: WorkloadID, threads: Int) -> PeerRow? {
        threads == 2 ? twoThreads[workload] : oneThread[workload]
    }

    /// The 1T rows.
    static let oneThread: [WorkloadID: PeerRow] = [
        .w1: PeerRow(numpy: 15.9, pytensorC: 80.0, pytensorNumba: 98.7, jax: 3.76, torch: 19.0,
                     torchCompile: 6.72, best: 3.76),
        .w2b128: PeerRow(numpy: 1.03, pytensorC: 1.89, pytensorNumba: 2.03, jax: 1.04, torch: 2.36,
                         torchCompile: 2.32, best: 1.03),
        .w2b20: PeerRow(numpy: 0.28, pytensorC: 0.33, pytensorNumba: 0.38, jax: 0.21, torch: 0.46,
                        torchCompile: 0.49, best: 0.21),
        .w3: PeerRow(numpy: nil, pytensorC: 24.3, pytensorNumba: 18.5, jax: 20.5, torch: 14.1,
                     torchCompile: 19.9, best: 14.1),
        .w4: w4Cold,
        .w5: PeerRow(numpy: nil, pytensorC: 26.0, pytensorNumba: 36.9, jax: 6.94, torch: 5.33,
                     torchCompile: 12.8, best: 5.33),
    ]

    /// The 2T rows.
    static let twoThreads: [WorkloadID: PeerRow] = [
        .w1: PeerRow(numpy: 16.1, pytensorC: 39.4, pytensorNumba: 96.2, jax: 1.91, torch: 13.2,
                     torchCompile: 3.84, best: 1.91),
        .w2b128: PeerRow(numpy: 0.65, pytensorC: 1.54, pytensorNumba: 1.60, jax: 0.67, torch: 1.26,
                         torchCompile: 1.26, best: 0.65),
        .w3: PeerRow(numpy: nil, pytensorC: 25.2, pytensorNumba: 17.4, jax: 15.3, torch: 7.9,
                     torchCompile: 12.3, best: 7.9),
        .w4: w4Cold,
        .w5: PeerRow(numpy: nil, pytensorC: 23.8, pytensorNumba: 34.9, jax: 6.74, torch: 3.25,
                     torchCompile: 8.3, best: 3.25),
    ]

    /// W4 cold compile in seconds (2 threads, empty compile caches).
    static let w4Cold = PeerRow(numpy: nil, pytensorC: 12.6, pytensorNumba: 17.8, jax: 0.32, torch: nil,
                                torchCompile: 10.4, best: 0.32)
}
