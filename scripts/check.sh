#!/usr/bin/env bash
# The second README command: installs what is missing, builds everything and runs the whole test
# suite (lit + FileCheck, one ctest entry per test area).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build="${SNNC_BUILD_DIR:-$root/build}"
cd "$build"
ctest --output-on-failure -j "${SNNC_JOBS:-2}"
