#!/usr/bin/env bash
# Installs the system packages Hypatia needs (Debian 12): LLVM 14 C API, OpenBLAS, zlib.
# Idempotent: does nothing when everything is already installed.
set -euo pipefail
packages=(llvm-dev libopenblas-dev zlib1g-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
fi
