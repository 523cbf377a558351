"""Checks test/stdlib/stdp_delays.snn: pair STDP against each synapse's own arrival time."""
import math
import sys

import numpy as np

out = sys.argv[1]
dt = 1e-4
w0 = {0: 0.002, 1: 0.006}
apre, apost, tau = 1e-4, -1.05e-4, 20e-3
a = np.load(f"{out}/A.spikes.npy")
b = np.load(f"{out}/B.spikes.npy")
assert sorted(zip(np.rint(a["t"] / dt).astype(int), a["i"])) == [(20, 0), (30, 1)]
assert len(b) == 200 and np.all(np.rint(b["t"] / dt) == 60)
tpre = {0: 20, 1: 30}
tpost = 60
ge = np.load(f"{out}/B.ge.npy")["ge"]  # sampled at step starts: a delivery in step n shows at n+1
w = np.load(f"{out}/ab.w.final.npy")["w"][0]
pairs = np.load(f"{out}/ab.w.final.synapses.npy")

arrival = {}
for j in range(200):
    jumps = np.diff(ge[:, j])
    for n in np.nonzero(jumps)[0]:  # ge[n+1] - ge[n]: delivered in step n
        step = int(n)
        got = jumps[n]
        hit = [i for i in (0, 1) if abs(got - w0[i]) < 1e-15]
        if abs(got - w0[0] - w0[1]) < 1e-15:
            hit = [0, 1]
        assert hit, (j, step, got)
        for i in hit:
            assert (i, j) not in arrival
            arrival[(i, j)] = step
assert len(arrival) == 400, len(arrival)

delays = np.array([arrival[k] - tpre[k[0]] for k in arrival])
assert delays.min() >= 0 and delays.max() <= 80
print("mean delay (steps)", delays.mean(), "distinct", len(set(delays)))
assert abs(delays.mean() - 40) < 5 * 80 / math.sqrt(12) / math.sqrt(400)
assert len(set(delays)) >= 60

worst = 0.0
for s, (i, j) in enumerate(zip(pairs["i"], pairs["j"])):
    lag = (tpost - arrival[(i, j)]) * dt
    change = apre * math.exp(-lag / tau) if lag >= 0 else apost * math.exp(lag / tau)
    worst = max(worst, abs(w[s] - w0[i] - change) / abs(change))
print(f"400 synapses; worst relative error of the weight change {worst:.2e}")
assert worst < 1e-9
print("PASS")
