#!/usr/bin/env bash
# Sets up the machine (if needed) and trains the main demo on the bundled MNIST: LeNet
# (Examples/LeNet) with HypatiaNN layers, Adam and early stopping; it writes its parameters,
# history and learning curve to output/. Extra arguments go to `swift run`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift run -c release "$@" LeNet
