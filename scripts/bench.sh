#!/usr/bin/env bash
# Runs the benchmarks the way the peers were run: release build, OPENBLAS_CORETYPE unset (the
# machine image sets it to Haswell, which halves SGEMM), pinned with taskset when available
# (CPU 0; CPUs 0..N-1 for --threads N).
# Usage: scripts/bench.sh [--workloads W1,W2,W4,overhead] [--json PATH] [--quick] [--threads N]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=1
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    if [ "${args[i]}" = "--threads" ] && [ $((i + 1)) -lt ${#args[@]} ]; then threads=${args[i + 1]}; fi
done
pin=()
if command -v taskset >/dev/null 2>&1; then
    cpus=0
    if [[ "$threads" =~ ^[0-9]+$ ]] && [ "$threads" -gt 1 ]; then cpus="0-$((threads - 1))"; fi
    pin=(taskset -c "$cpus")
fi
exec env -u OPENBLAS_CORETYPE "${pin[@]}" swift run -c release hypatia-bench "$@"
