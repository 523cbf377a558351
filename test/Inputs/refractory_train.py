"""Closed forms for test/Execution/refractory_train.snn: a delta-synapse LIF (reset to 0, frozen
while refractory for k steps) driven by spikes every P steps of weight w; a = exp(-dt/tau).

Schedule (docs/semantics.md): an input delivered in step q is seen by the update of step q + 1,
so the neuron fires in the step after the input that takes it over threshold; say that input is
in step n - 1 and the spike in step n. The inputs of steps n .. n + k - 1, h = floor(k/P) of
them, arrive while it is refractory.
  drop: they are lost; the l-th input after them (step q_l = n - 1 + (h + l)P) leaves
        v = w * sum_{l' <= l} a^(q_l - q_l' + 1) at the test of step q_l + 1;
  hold: their sum H = h*w joins v at the start of step n + k, adding H * a^(q_l + 2 - n - k).
The interspike interval is q_l + 1 - n = (h + l)P steps for the first l with v > theta (the
held sum alone, H*a at step n + k, stays below theta here).
usage: refractory_train.py drop|hold SPIKES.npy
"""
import math
import sys

import numpy as np

dt, tau, w, theta, P, k = 1e-4, 20e-3, 0.4, 1.0, 10, 25
mode, path = sys.argv[1], sys.argv[2]
a = math.exp(-dt / tau)
h = k // P
H = h * w if mode == "hold" else 0.0
assert H * a <= theta
n = 0  # spike step; times relative to it
l = 0
while True:
    l += 1
    q = [n - 1 + (h + j) * P for j in range(1, l + 1)]
    v = w * sum(a ** (q[-1] - qj + 1) for qj in q) + H * a ** (q[-1] + 2 - n - k)
    if v > theta:
        break
isi = (h + l) * P
s = np.load(path)
steps = np.rint(s["t"] / dt).astype(int)
got = set(np.diff(steps).tolist())
print(f"{mode}: expected ISI {isi} steps ({1 / (isi * dt):.1f} Hz); got {sorted(got)} over "
      f"{len(steps)} spikes")
print("PASS" if got == {isi} and len(steps) > 100 else "FAIL")
