"""Final weights of test/stdlib/stdp_variants.snn against the pair rules' closed forms."""
import math
import sys

import numpy as np

out = sys.argv[1]
a = np.load(f"{out}/A.spikes.npy")
b = np.load(f"{out}/B.spikes.npy")
pre = {}
for t, i in zip(a["t"], a["i"]):
    pre.setdefault(int(i), []).append(float(t))
assert len(pre) == 40 and all(len(v) == 2 for v in pre.values())
assert len(b) == 40 and np.allclose(b["t"], 0.01, rtol=0, atol=1e-12)
tau, t, w0, wmax = 20e-3, 0.01, 0.005, 0.01
rules = {
    "all": lambda t1, t2: 1e-4 * (math.exp(-(t - t1) / tau) + math.exp(-(t - t2) / tau)),
    "nearest": lambda t1, t2: 1e-4 * math.exp(-(t - t2) / tau),
    "mult": lambda t1, t2: 0.01 * (math.exp(-(t - t1) / tau) + math.exp(-(t - t2) / tau))
    * (wmax - w0),
}
worst = 0.0
for name, dw in rules.items():
    w = np.load(f"{out}/{name}.w.final.npy")["w"][0]
    pairs = np.load(f"{out}/{name}.w.final.synapses.npy")
    for s, i in enumerate(pairs["i"]):
        t1, t2 = pre[int(i)]
        assert abs(t1 - (5 + i) * 1e-4) < 1e-12 and abs(t2 - t1 - 1.1e-3) < 1e-12
        expected = dw(t1, t2)
        worst = max(worst, abs((w[s] - w0) - expected) / expected)
    print(f"{name}: mean weight change {np.mean(w - w0):.3e}")
print(f"worst relative error {worst:.2e}")
assert worst < 1e-9
print("PASS")
