"""Spike counts of test/stdlib/poisson.snn against their binomial expectations (5 sigma)."""
import math
import sys

import numpy as np

out = sys.argv[1]
dt, steps = 1e-4, 20000


def check(name, count, expected_sum_p, var_sum):
    sd = math.sqrt(var_sum)
    z = (count - expected_sum_p) / sd
    ok = abs(z) <= 5
    print(f"{name}: {count} spikes, expected {expected_sum_p:.1f} +- {sd:.1f} (z = {z:+.2f}) "
          f"{'PASS' if ok else 'FAIL'}")
    return ok


ok = True
c = np.load(f"{out}/C.spikes.npy")
p = 15 * dt
ok &= check("C", len(c), 1000 * steps * p, 1000 * steps * p * (1 - p))

r = np.load(f"{out}/R.spikes.npy")
ps = (1 + np.arange(100) * 0.5) * dt
ok &= check("R", len(r), steps * ps.sum(), steps * (ps * (1 - ps)).sum())
counts = np.bincount(r["i"], minlength=100)
assert counts[:10].sum() < counts[90:].sum(), "per-neuron rates not increasing with i"

s = np.load(f"{out}/S.spikes.npy")
t = np.arange(steps) * dt
pt = (10 + 5 * np.sin(2 * math.pi * t)) * dt
for label, sel in (("first half", t < 0.5), ("second half", (t >= 0.5) & (t < 1.0))):
    count = int(((s["t"] >= t[sel][0] - 1e-12) & (s["t"] <= t[sel][-1] + 1e-12)).sum())
    ok &= check("S " + label, count, 200 * pt[sel].sum(), 200 * (pt[sel] * (1 - pt[sel])).sum())
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
