#!/usr/bin/env bash
# The first README command: installs what is missing, builds snnc, compiles examples/cuba.snn to a
# native executable and runs one simulated second of it, printing the summary table.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh" --with-brian
"$root/scripts/build.sh"
build="${SNNC_BUILD_DIR:-$root/build}"
mkdir -p "$build/examples"
echo "== snnc examples/cuba.snn -o build/examples/cuba"
"$build/bin/snnc" "$root/examples/cuba.snn" -o "$build/examples/cuba"
echo "== ./cuba --duration 1s --seed 1 --out build/examples/cuba_out"
"$build/examples/cuba" --duration 1s --seed 1 --out "$build/examples/cuba_out"
echo "== load the spikes with NumPy"
/usr/bin/python3 - "$build/examples/cuba_out" <<'PY'
import sys, numpy as np
s = np.load(sys.argv[1] + "/P.spikes.npy")
print(f"{len(s)} spikes; mean rate {len(s) / 4000 / 1.0:.2f} Hz; first: t={s['t'][0]*1e3:.1f} ms i={s['i'][0]}")
PY
