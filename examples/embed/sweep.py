#!/usr/bin/python3
"""A sweep with one compile: CUBA's firing rate against the strength of an external drive.

    PYTHONPATH=python /usr/bin/python3 examples/embed/sweep.py [out.png]

The network is compiled once (snnc.compile caches the library); for each of 10 drive levels a
fresh instance runs 0.3 s while the host injects, every millisecond, spikes into a random subset
of the excitatory neurons (the drive), and the rate of the last 0.2 s is measured. Saves the
curve as a PNG and prints it.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import snnc  # noqa: E402
import snnc.plot  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
lib = snnc.compile(os.path.join(here, "..", "cuba.snn"))
drives = np.arange(10) * 4  # neurons kicked per millisecond
rates = []
for d in drives:
    m = snnc.Model(lib, seed=1)
    rng = np.random.default_rng(int(d))
    for ms in range(300):
        if d:
            m.inject("P", rng.choice(3200, size=int(d), replace=False))
        m.step(10)
    s = m.spikes("P")
    rates.append(np.count_nonzero(s["t"] >= 0.1) / 4000 / 0.2)
    m.close()
for d, r in zip(drives, rates):
    print(f"drive {d:3d} neurons/ms: {r:6.2f} Hz")

import matplotlib  # noqa: E402
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.plot(drives, rates, "o-k")
ax.set_xlabel("external drive (spikes injected per ms)")
ax.set_ylabel("rate of P (Hz)")
ax.set_title("CUBA: one compile, 10 runs")
fig.tight_layout()
out = sys.argv[1] if len(sys.argv) > 1 else "sweep.png"
fig.savefig(out, dpi=100)
print("wrote", out)
