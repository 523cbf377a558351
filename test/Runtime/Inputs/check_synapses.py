"""Checks the outputs of the synapse model (Inputs/syn_model.h) after runs of 10, 0 and 5 steps,
against the closed forms stated in that header. Usage: check_synapses.py OUTDIR"""
import sys

import numpy as np
from npyheader import numpy_header, raw_header

out = sys.argv[1]
dt = 1e-4
NSYN = 9




def load(name):
    path = f"{out}/{name}.npy"
    a = np.load(path)
    assert raw_header(path) == numpy_header(a.dtype, a.shape[0]), name
    return a


# AB.w every 3rd step over steps 0..14: sampled before the kernel, so `s` steps are done.
w = load("AB.w")
samples = [0, 3, 6, 9, 12]
assert w.dtype == np.dtype([("t", "<f8"), ("w", "<f8", (NSYN,))]), w.dtype
assert w.shape == (len(samples),), w.shape
assert np.array_equal(w["t"], np.array(samples) * dt)
assert np.array_equal(w["w"], [[10 * k + s for k in range(NSYN)] for s in samples])

# Final-only: one sample per run (10, 0 and 5 steps), after its last step, at the time reached.
finals = [10, 10, 15]
wf = load("AB.w_final")
assert wf.dtype == np.dtype([("t", "<f8"), ("w", "<f8", (NSYN,))]), wf.dtype
assert np.array_equal(wf["t"], np.array(finals) * dt), wf["t"]
assert np.array_equal(wf["w"], [[10 * k + d for k in range(NSYN)] for d in finals])

nf = load("AB.n_final")  # int32 variable, written as float64
assert nf.dtype == np.dtype([("t", "<f8"), ("n", "<f8", (NSYN,))]), nf.dtype
assert np.array_equal(nf["t"], np.array(finals) * dt)
assert np.array_equal(nf["n"], [[k * k - 2 * d for k in range(NSYN)] for d in finals])

# A final-only state recorder has the layout of any state recorder: v[i] = i + steps done.
vf = load("A.v_final")
assert vf.dtype == np.dtype([("t", "<f8"), ("v", "<f8", (3,))]), vf.dtype
assert np.array_equal(vf["t"], np.array(finals) * dt)
assert np.array_equal(vf["v"], [[i + d for i in range(1, 4)] for d in finals])

# The pairs: all_to_all A[1, 4) -> B[0, 3) in CSR order (by pre, then post).
want = [(i, j) for i in range(1, 4) for j in range(3)]
for name in ("AB.w", "AB.w_final", "AB.n_final"):
    p = load(f"{name}.synapses")
    assert p.dtype == np.dtype([("i", "<i4"), ("j", "<i4")]), p.dtype
    assert p.shape == (NSYN,) and [(int(i), int(j)) for i, j in p] == want, p

# No synapses: the samples keep their times, the subarray has shape (0,); no pairs.
e = load("E.w")
assert e.dtype == np.dtype([("t", "<f8"), ("w", "<f8", (0,))]), e.dtype
assert np.array_equal(e["t"], np.arange(0, 15, 2) * dt) and e["w"].shape == (8, 0)
ep = load("E.w.synapses")
assert ep.dtype == np.dtype([("i", "<i4"), ("j", "<i4")]) and ep.shape == (0,), ep
print("synapse outputs ok")
