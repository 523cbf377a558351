#!/usr/bin/env bash
# The whole test suite with AddressSanitizer and UndefinedBehaviorSanitizer: snnc and the runtime
# are built instrumented (GCC) in build-asan/, and every executable and library a test makes is
# linked against the instrumented runtime (SNNC_LINK_FLAGS). Not part of scripts/check.sh (it
# takes several times as long); CI runs the sanitized fuzzer instead (scripts/fuzz.sh).
#   scripts/sanitize.sh                 # everything
#   scripts/sanitize.sh Execution       # one test area (a lit --filter on snnc :: <area>/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SNNC_ASAN_BUILD_DIR:-$root/build-asan}"
san="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS="$san" -DCMAKE_CXX_FLAGS="$san" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
fi
cmake --build "$build" -j "${SNNC_JOBS:-2}"
export SNNC_LINK_FLAGS="-fsanitize=address,undefined"
# Leaks are not errors here (LLVM and ANTLR keep caches to the end). Python (ctypes) loads the
# instrumented libraries of test/Embed only with the sanitizer runtime preloaded, so it is
# preloaded everywhere (harmless for the programs that link it anyway).
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:verify_asan_link_order=0"
export LD_PRELOAD="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
filter="${1:+^snnc :: $1/}"
exec python3 /usr/lib/llvm-19/build/utils/lit/lit.py -sv ${filter:+--filter "$filter"} "$build/test"
