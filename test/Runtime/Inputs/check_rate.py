"""Checks the rate recorders of test/Runtime/rate.c (the tick model, Inputs/tick_model.h) after
`steps` steps. Neuron i spikes at the steps that are multiples of (i + 1), so it spikes
ceil(b / (i + 1)) - ceil(a / (i + 1)) times in the steps [a, b). Usage: check_rate.py OUTDIR STEPS"""
import sys

import numpy as np
from npyheader import numpy_header, raw_header

out, steps = sys.argv[1], int(sys.argv[2])
dt = 1e-4
# (name, begin, end, every): keep in sync with rate_recs in rate.c.
RECORDERS = [("P.rate", 1, 6, 4), ("P.rate1", 0, 6, 1), ("P.rate7", 2, 3, 7), ("P.rate0", 3, 3, 5)]
DTYPE = np.dtype([("t", "<f8"), ("rate", "<f8")])


def ceil_div(a, b):
    return -(-a // b)


def spikes(i, a, b):
    return ceil_div(b, i + 1) - ceil_div(a, i + 1)


for name, begin, end, every in RECORDERS:
    path = f"{out}/{name}.npy"
    r = np.load(path)
    assert r.dtype == DTYPE, (name, r.dtype)
    nbins = steps // every  # completed bins only; a trailing partial bin is not written
    assert r.shape == (nbins,), (name, r.shape, nbins)
    assert raw_header(path) == numpy_header(DTYPE, nbins), name
    # Bin k covers steps [k * every, (k + 1) * every) and is stamped with its start time.
    assert np.array_equal(r["t"], np.array([k * every * dt for k in range(nbins)])), (name, r["t"])
    counts = [sum(spikes(i, k * every, (k + 1) * every) for i in range(begin, end))
              for k in range(nbins)]
    if end == begin:
        assert np.isnan(r["rate"]).all(), (name, r["rate"])  # 0 spikes / 0 neurons
        continue
    # Same expression, same order of operations as the runtime: exact equality.
    want = [c / (end - begin) / (every * dt) for c in counts]
    assert np.array_equal(r["rate"], want), (name, r["rate"], want)
    # The rates times the bin width and range give back whole spike counts.
    assert np.allclose(r["rate"] * (end - begin) * every * dt, counts, rtol=1e-12, atol=0)

# Spot values by hand for bins of 4 over neurons 1..5 (period 2..6): bin [0, 4) has spikes
# 2 + 2 + 1 + 1 + 1 = 7, i.e. 7 / 5 / 4e-4 = 3500 Hz; bin [8, 12) (spanning the two runs in
# rate.c) has 2 + 1 + 1 + 1 + 0 = 5 -> 2500 Hz.
r = np.load(f"{out}/P.rate.npy")
assert np.isclose(r["rate"][0], 3500.0, rtol=1e-12)
if steps >= 12:
    assert np.isclose(r["rate"][2], 2500.0, rtol=1e-12) and np.isclose(r["t"][2], 8e-4)
print(f"rate outputs ok: {len(r)} bins of 4 steps")
