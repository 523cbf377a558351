"""Weights of test/stdlib/triplet.snn against the triplet rule's analytic changes."""
import math
import sys

import numpy as np

out = sys.argv[1]
tp, tm, ty = 16.8e-3, 33.7e-3, 125e-3
A2p, A3p, A2m = 5e-10, 0.0062, 0.007
spikes = {p: np.load(f"{out}/{p}.spikes.npy") for p in "ABC"}
post = {}
for t, i in zip(spikes["B"]["t"], spikes["B"]["i"]):
    post.setdefault(int(i), []).append(float(t))
assert all(len(v) == 2 and abs(v[0] - 0.010) < 1e-12 and abs(v[1] - 0.0151) < 1e-12
           for v in post.values()) and len(post) == 40, post
t2, t3 = 0.010, 0.0151
worst = 0.0
for proj, pre in (("pp", "A"), ("qq", "C")):
    w = np.load(f"{out}/{proj}.w.final.npy")["w"][0]
    pairs = np.load(f"{out}/{proj}.w.final.synapses.npy")
    tpre = {int(i): float(t) for t, i in zip(spikes[pre]["t"], spikes[pre]["i"])}
    for s, i in enumerate(pairs["i"]):
        t = tpre[int(i)]
        if proj == "pp":
            dw = math.exp(-(t2 - t) / tp) * A2p + math.exp(-(t3 - t) / tp) * (
                A2p + A3p * math.exp(-(t3 - t2) / ty))
        else:
            dw = -(math.exp(-(t - t2) / tm) + math.exp(-(t - t3) / tm)) * A2m
        err = abs((w[s] - 0.5) - dw) / abs(dw)
        worst = max(worst, err)
    print(f"{proj}: weight changes from {min(w) - 0.5:.3e} to {max(w) - 0.5:.3e}")
print(f"worst relative error {worst:.2e}")
assert worst < 1e-9
print("PASS")
