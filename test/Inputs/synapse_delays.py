"""Checks test/Execution/synapse_delays.snn: spike arrival times through per-synapse delays.

A listener fires one step (0.1 ms) after an input arrives; arrivals after the run's last step are
not seen. B_j's delay is j * 0.3 ms; each C_j has one unknown delay d_j (a whole number of steps
in [0, 30], from uniform(0 ms, 3 ms) rounded to the nearest step) that must explain all its spikes.
"""
import sys

import numpy as np

out = sys.argv[1]
dt = 1e-4
steps = 50
a = np.load(f"{out}/A.spikes.npy")
pre = np.rint(a["t"] / dt).astype(int)
assert list(pre) == [5, 16, 27, 38, 49], pre


def trains(name, n):
    s = np.load(f"{out}/{name}.spikes.npy")
    steps_ = np.rint(s["t"] / dt).astype(int)
    return [sorted(steps_[s["i"] == j]) for j in range(n)]


def expected(d):
    return [p + d + 1 for p in pre if p + d + 1 < steps]


b = trains("B", 6)
for j in range(6):
    assert b[j] == expected(3 * j), (j, b[j], expected(3 * j))
print("B: PASS")

c = trains("C", 300)
delays = []
for j in range(300):
    assert c[j], f"C_{j} never fired"
    d = c[j][0] - pre[0] - 1
    assert 0 <= d <= 30 and c[j] == expected(d), (j, c[j], d)
    delays.append(d)
delays = np.array(delays)
# Rounded U(0, 3 ms): steps 1..29 have probability 1/30, 0 and 30 half that. Mean 15 steps,
# standard deviation about 30/sqrt(12) = 8.7 steps, so the mean of 300 lies within 5 standard
# errors (2.5 steps) of 15, and at least 25 of the 31 values occur.
print("mean delay (steps)", delays.mean(), "distinct", len(set(delays)))
assert abs(delays.mean() - 15) < 5 * 30 / np.sqrt(12) / np.sqrt(300)
assert len(set(delays)) >= 25
print("C: PASS")
