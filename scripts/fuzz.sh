#!/usr/bin/env bash
# libFuzzer over the front end and the IR pipeline (compiler/tools/snnc-fuzz), with AddressSanitizer
# and UndefinedBehaviorSanitizer, for a bounded time:
#   scripts/fuzz.sh            # 10 minutes, growing build-fuzz/corpus
#   scripts/fuzz.sh 60 1       # CI (scripts/check.sh): 60 seconds from the seeds alone, with
#                              # libFuzzer's seed 1, so a run explores what an earlier one did
# Builds in build-fuzz/ with clang-19 (Debian's clang-19 and libclang-rt-19-dev, installed by
# scripts/install-deps.sh). The seed corpus is every .snn file of examples/, stdlib/ and test/;
# what the fuzzer adds is kept in build-fuzz/corpus. A crash is written to build-fuzz/crashes/
# and ends the script with status 1: make it a regression test (test/Fuzz/Inputs/crashes/, run by
# test/Fuzz/crashes.test) once fixed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-600}"
seed="${2:-}"
build="${SNNC_FUZZ_BUILD_DIR:-$root/build-fuzz}"
for tool in clang-19 clang++-19; do
  command -v "$tool" >/dev/null || { echo "fuzz.sh: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -g -O1"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" -DSNNC_FUZZER=ON >/dev/null
fi
cmake --build "$build" --target snnc-fuzz-frontend -j "${SNNC_JOBS:-2}"
corpus="$build/corpus"
seed_flag=()
if [[ -n "$seed" ]]; then # reproducible: a fresh corpus, a fixed seed
  corpus="$build/corpus-seed$seed"
  rm -rf "$corpus"
  seed_flag=(-seed="$seed")
fi
rm -rf "$build/seeds"
mkdir -p "$corpus" "$build/seeds" "$build/crashes"
k=0
while IFS= read -r f; do
  cp "$f" "$build/seeds/$k.snn"
  k=$((k + 1))
done < <(find "$root/examples" "$root/stdlib" "$root/test" -name '*.snn' | sort)
echo "fuzz.sh: $k seeds, fuzzing for $seconds s"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
"$build/bin/snnc-fuzz-frontend" "$corpus" "$build/seeds" "${seed_flag[@]}" \
  -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=16384 \
  -print_final_stats=1 -artifact_prefix="$build/crashes/" 2>&1 | tail -n 25
