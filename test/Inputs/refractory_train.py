"""Closed form for test/Execution/refractory_train.snn: a delta-synapse LIF (reset to 0, frozen
while refractory for k steps) driven by spikes every P steps of weight w.

Schedule (docs/semantics.md): an input delivered in step s is seen by the update of step s + 1,
so the neuron fires in the step after the input that takes it over threshold. Inputs delivered in
the spike's own step and in the k - 1 steps after it are dropped; the first that counts comes
floor(k/P) + 1 periods after the input that made it fire. With m the number of inputs
that must count (the smallest m with w * sum_{l<m} exp(-(l*P + 1)*dt/tau) > theta), every
interspike interval is (floor(k/P) + m) * P steps.
"""
import math
import sys

import numpy as np

dt, tau, w, theta, P, k = 1e-4, 20e-3, 0.4, 1.0, 10, 25
m = 1
while w * sum(math.exp(-(l * P + 1) * dt / tau) for l in range(m)) <= theta:
    m += 1
isi = (k // P + m) * P
s = np.load(sys.argv[1])
steps = np.rint(s["t"] / dt).astype(int)
got = set(np.diff(steps).tolist())
print(f"m = {m}, expected ISI {isi} steps ({1 / (isi * dt):.1f} Hz); got {sorted(got)} over "
      f"{len(steps)} spikes")
print("PASS" if got == {isi} and len(steps) > 100 else "FAIL")
