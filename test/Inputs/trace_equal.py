"""Compares a recorded trace with reference values: trace_equal.py FILE.npy SCALE RTOL V0 V1 ...

FILE.npy is a state record of one neuron (fields t and v); its samples, divided by SCALE (e.g.
1e-3 for mV), must equal V0 V1 ... (as many as given) to within relative tolerance RTOL.
"""
import sys

import numpy as np

rec = np.load(sys.argv[1])
scale, rtol = float(sys.argv[2]), float(sys.argv[3])
want = np.array([float(x) for x in sys.argv[4:]])
field = [n for n in rec.dtype.names if n != "t"][0]
got = rec[field][:, 0][: len(want)] / scale
assert len(got) == len(want), f"{len(got)} samples, expected {len(want)}"
bad = np.flatnonzero(~np.isclose(got, want, rtol=rtol, atol=0))
for k in bad[:5]:
    print(f"sample {k} (t = {rec['t'][k]:.6g} s): got {got[k]!r}, expected {want[k]!r}")
print("FAIL" if len(bad) else "PASS")
