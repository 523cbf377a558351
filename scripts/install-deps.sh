#!/usr/bin/env bash
# Installs the Debian 12 packages snnc needs, if any are missing. Used by quickstart.sh and
# check.sh so that a fresh machine (or CI) needs nothing but this repository.
#   --with-brian   also install Brian2 (python3-brian) for bench/ and the reference comparisons
set -euo pipefail

packages=(cmake ninja-build ccache g++ git
          llvm-19-dev llvm-19-tools libantlr4-runtime-dev antlr4 libfmt-dev
          python3 python3-numpy python3-matplotlib
          clang-19 libclang-rt-19-dev   # the fuzzer (scripts/fuzz.sh) and sanitizer builds
          openmpi-bin libopenmpi-dev)   # mpirun -np R ./model (the runtime loads libmpi itself)
if [[ "${1:-}" == "--with-brian" ]]; then
  packages+=(python3-brian)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "snnc: installing missing packages: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
