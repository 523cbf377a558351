#!/usr/bin/env bash
# The benchmark, one command: snnc against Brian2's C++ standalone mode on the same models, side by
# side in this run (bench/README.md). Needs a built snnc (scripts/build.sh) and Brian2
# (python3-brian: scripts/install-deps.sh --with-brian).
#   bench/run.sh [--models cuba,cuba200k,coba,cobahh,song,stdp100,lif1m,lif1m_f32] [--reps N]
#                [--keep DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "${PYTHON:-/usr/bin/python3}" "$root/bench/bench.py" "$@"
