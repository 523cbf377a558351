#!/usr/bin/python3
"""A parameter sweep with one compile: CUBA's firing rate against its threshold.

    PYTHONPATH=python /usr/bin/python3 examples/embed/sweep.py [out.png]

examples/embed/cuba_runtime.snn declares `runtime P.V_th`; it is compiled once (snnc.compile
caches the library), then one instance runs 0.3 s for each of 10 thresholds from -54 to -49.5 mV
(set, then reset so that the initial potentials, drawn up to V_th, follow), and the rate of the
last 0.2 s is measured. Saves the curve as a PNG and prints it.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import snnc  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
lib = snnc.compile(os.path.join(here, "cuba_runtime.snn"))
m = snnc.Model(lib, seed=1)
thresholds = -0.054 + 0.0005 * np.arange(10)
rates = []
for vt in thresholds:
    m["P.V_th"] = vt
    m.reset()
    m.run(0.3)
    s = m.spikes("P")
    rates.append(np.count_nonzero(s["t"] >= 0.1) / 4000 / 0.2)
for vt, r in zip(thresholds, rates):
    print(f"V_th {vt * 1e3:6.1f} mV: {r:6.2f} Hz")

import matplotlib  # noqa: E402
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.plot(thresholds * 1e3, rates, "o-k")
ax.set_xlabel("threshold V_th (mV)")
ax.set_ylabel("rate of P (Hz)")
ax.set_title("CUBA: one compile, 10 thresholds")
fig.tight_layout()
out = sys.argv[1] if len(sys.argv) > 1 else "sweep.png"
fig.savefig(out, dpi=100)
print("wrote", out)
