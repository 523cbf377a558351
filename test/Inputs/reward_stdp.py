"""Checks test/stdlib/reward_stdp.snn against the closed form of reward-modulated STDP.

usage: reward_stdp.py OUT DT [COARSE_OUT]  (with COARSE_OUT, a run at 10 x DT: this run's error
must be at least 5 times smaller, as for a first-order scheme)
"""
import math
import sys

import numpy as np

out, dt = sys.argv[1], float(sys.argv[2])
t1, t2, t3, T = 0.010, 0.015, 0.300, 1.5
taupre, tau_c, tau_s, tau_d = 0.020, 1.0, 1.0, 0.200
w0, kick = 0.5, 0.5
c0 = 1.0 * math.exp(-(t2 - t1) / taupre)
tau_ = 1 / (1 / tau_c + 1 / tau_d)
dw = c0 * kick / tau_s * math.exp(-(t3 - t2) / tau_c) * tau_ * (1 - math.exp(-(T - t3) / tau_))


def error(d):
    w = np.load(f"{d}/ab.w.final.npy")["w"][0][0]
    return abs((w - w0) - dw) / dw


c = np.load(f"{out}/ab.c.final.npy")["c"][0][0]
# The tag set in the step at t2 decays from t2 + dt on: an event in step n shows from t_(n+1)
# (docs/semantics.md), and c's update of that step ran before the event.
c_expected = c0 * math.exp(-(T - t2 - dt) / tau_c)
print("c", c, "expected", c_expected)
assert abs(c - c_expected) < 1e-12 * c_expected

trace = np.load(f"{out}/ab.w.npy")
before = trace["w"][trace["t"] <= t3 + 1e-9, 0]
assert np.all(before == w0), before  # nothing moves before the reward

err = error(out)
print(f"w(T) - w0 = {np.load(f'{out}/ab.w.final.npy')['w'][0][0] - w0:.9f}, closed form {dw:.9f}, "
      f"relative error {err:.2e}")
assert err < 1e-3
if len(sys.argv) > 3:
    coarse = error(sys.argv[3])
    print(f"coarse error {coarse:.2e}, ratio {coarse / err:.1f}")
    assert coarse / err > 5
print("PASS")
