"""Checks the outputs of the tick model (Inputs/tick_model.h) after `steps` steps, against the
closed forms stated in that header. Usage: check_tick.py OUTDIR STEPS"""
import json
import math
import sys

import numpy as np
from npyheader import numpy_header, raw_header

out, steps = sys.argv[1], int(sys.argv[2])
N, dt = 6, 1e-4




# Spikes of neurons 1..5 (the recorder excludes neuron 0), ordered by time then index.
spk = np.load(f"{out}/P.spikes.npy")
assert spk.dtype == np.dtype([("t", "<f8"), ("i", "<i4")]), spk.dtype
want = [(s * dt, i) for s in range(steps) for i in range(1, N) if s % (i + 1) == 0]
assert spk.shape == (len(want),), (spk.shape, len(want))
assert [(float(t), int(i)) for t, i in spk] == want
assert raw_header(f"{out}/P.spikes.npy") == numpy_header(spk.dtype, spk.shape[0])
assert len(raw_header(f"{out}/P.spikes.npy")) % 64 == 0

# v of neurons 1..3 every 3rd step: v[i] at step s is s * (i + 1).
v = np.load(f"{out}/P.v.npy")
samples = list(range(0, steps, 3))
assert v.dtype.names == ("t", "v") and v["v"].dtype == np.float64, v.dtype
assert v.shape == (len(samples),) and v["v"].shape == (len(samples), 3), v.shape
assert np.array_equal(v["t"], np.array(samples) * dt)
assert np.array_equal(v["v"], [[s * (i + 1) for i in range(1, 4)] for s in samples])
assert raw_header(f"{out}/P.v.npy") == numpy_header(v.dtype, v.shape[0])

# c (an int32 variable, written as float64) every step: spikes so far = ceil(s / (i + 1)).
c = np.load(f"{out}/P.c.npy")
assert c["c"].shape == (steps, N) and c["c"].dtype == np.float64
assert np.array_equal(c["c"], [[-(-s // (i + 1)) for i in range(N)] for s in range(steps)])

# A single neuron still has the (1,) subarray shape.
v2 = np.load(f"{out}/P.v2.npy")
assert v2.dtype == np.dtype([("t", "<f8"), ("v", "<f8", (1,))]), v2.dtype
assert v2["v"].shape == (steps, 1)
assert np.array_equal(v2["v"][:, 0], [s * 3 for s in range(steps)])

summ = json.load(open(f"{out}/summary.json"))
assert summ["model"] == "tick" and summ["steps"] == steps and summ["dt"] == dt
assert math.isclose(summ["duration"], steps * dt)
(pop,) = summ["populations"]
total = sum(-(-steps // (i + 1)) for i in range(N))
assert pop["name"] == "P" and pop["size"] == N and pop["spikes"] == total, pop
assert math.isclose(pop["rate_hz"], total / N / (steps * dt))
# bytes_per_synapse: a 4-byte column plus 8-byte row pointers for 2 rows (+1) over 2 synapses.
assert summ["projections"] == [{"name": "P_self", "synapses": 2, "bytes_per_synapse": 16.0}]
print("tick outputs ok")
