"""Checks test/Execution/record_synapses.snn: sampled and final synapse weights, synapse pairs."""
import sys

import numpy as np

out = sys.argv[1]
r = np.load(f"{out}/ee.w.npy")
print("times", r["t"], "shape", r["w"].shape)
assert np.allclose(r["t"], [0, 1e-3, 2e-3, 3e-3], rtol=0, atol=1e-12)
w0 = r["w"][0]
assert np.all((w0 >= 1e-3) & (w0 <= 2e-3)), w0
for k in range(4):
    assert np.array_equal(r["w"][k], w0 / 2 ** k), (k, r["w"][k], w0)
f = np.load(f"{out}/ee.w.final.npy")
print("final at", f["t"])
assert f.shape == (1,) and abs(f["t"][0] - 3.5e-3) < 1e-12
assert np.array_equal(f["w"][0], w0 / 8)
# The targets received w0 + w0/2 + w0/4 in total.
v = np.load(f"{out}/T.v.final.npy")["v"][0]
assert np.allclose(v, w0 * 1.75, rtol=1e-15, atol=0), (v, w0)
pairs = np.load(f"{out}/ee.w.synapses.npy")
print("pairs", list(zip(pairs["i"], pairs["j"])))
assert list(pairs["i"]) == [0] * 5 and list(pairs["j"]) == [0, 1, 2, 3, 4]
print("PASS")
