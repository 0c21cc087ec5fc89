#!/usr/bin/env bash
# Sets up the machine (if needed) and trains the main demo on the bundled MNIST.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift run -c release LogisticRegression "$@"
