"""Checks test/Execution/timed_array.snn against the closed forms of a driven leaky integrator."""
import math
import sys

import numpy as np

out = sys.argv[1]
tau, dt = 10e-3, 1e-4


def table(t):
    if t < 5e-3 - 1e-12:
        return 0.0
    if t < 10e-3 - 1e-12:
        return 20e-3 * (1 - math.exp(-(t - 5e-3) / tau))
    v10 = 20e-3 * (1 - math.exp(-5e-3 / tau))
    return 10e-3 + (v10 - 10e-3) * math.exp(-(t - 10e-3) / tau)


a = np.load(f"{out}/A.v.npy")
err = max(abs(v - table(t)) for t, v in zip(a["t"], a["v"][:, 0]))
print(f"table: max |v - closed form| = {err:.2e} V")
assert len(a) == 300 and err < 1e-12
print("table: PASS")
f = np.load(f"{out}/F.v.npy")
err = max(abs(v - table(t)) for t, v in zip(f["t"], f["v"][:, 0]))
print(f"file: max |v - closed form| = {err:.2e} V")
assert len(f) == 300 and err < 1e-12
print("file: PASS")

# Per neuron: v follows R*I_k of its own column over each 5 ms interval, the last held after.
cols = [[0.0, 20e-3, 10e-3], [10e-3, 0.0, 30e-3], [30e-3, 5e-3, 0.0]]  # R*I per neuron, V
mm = np.load(f"{out}/M.v.npy")
worst = 0.0
for n in range(3):
    v = 0.0
    for t, got in zip(mm["t"], mm["v"][:, n]):
        worst = max(worst, abs(got - v))
        k = min(int((t + 5e-6) / 5e-3), 2)
        v = cols[n][k] + (v - cols[n][k]) * math.exp(-dt / tau)
print(f"per neuron: max |v - closed form| = {worst:.2e} V")
assert len(mm) == 300 and worst < 1e-12
print("per neuron: PASS")

w, ri = 2 * math.pi * 100, 10e-3


def sine(t):
    wt = w * tau
    return ri * (1 - math.exp(-t / tau)) + ri * (
        math.sin(w * t) - wt * math.cos(w * t) + wt * math.exp(-t / tau)) / (1 + wt * wt)


s = np.load(f"{out}/S.v.npy")
err = max(abs(v - sine(t)) for t, v in zip(s["t"], s["v"][:, 0]))
print(f"sine: max |v - closed form| = {err:.2e} V (bound {ri * w * dt:.2e})")
assert err < ri * w * dt
print("sine: PASS")
