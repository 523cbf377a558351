#!/usr/bin/env bash
# Configures (once) and builds snnc, the runtime and the test configuration in build/ with Ninja.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SNNC_BUILD_DIR:-$root/build}"
jobs="${SNNC_JOBS:-2}"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" -j "$jobs"
