#!/usr/bin/env bash
# The second README command: installs what is missing, builds everything, runs the whole test
# suite (lit + FileCheck, one ctest entry per test area), then fuzzes the front end and the IR
# pipeline under ASan and UBSan for a bounded time (SNNC_FUZZ_SECONDS, default 60; 0 skips it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build="${SNNC_BUILD_DIR:-$root/build}"
cd "$build"
ctest --output-on-failure -j "${SNNC_JOBS:-2}"
if [[ "${SNNC_FUZZ_SECONDS:-60}" != 0 ]]; then
  "$root/scripts/fuzz.sh" "${SNNC_FUZZ_SECONDS:-60}" 1
fi
