"""Mean firing rate from a spike file, compared with an expected value and tolerance; also checks
that summary.json reports the same spike count as the spike file."""
import argparse
import json
import os

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("outdir")
ap.add_argument("--pop", default="P")
ap.add_argument("--neurons", type=int, required=True)
ap.add_argument("--duration", type=float, required=True)
ap.add_argument("--expect", type=float, required=True)
ap.add_argument("--tol", type=float, required=True)
a = ap.parse_args()

s = np.load(os.path.join(a.outdir, a.pop + ".spikes.npy"))
rate = len(s) / a.neurons / a.duration
summary = json.load(open(os.path.join(a.outdir, "summary.json")))
pops = {p["name"]: p for p in summary["populations"]}
print(f"mean rate {rate:.3f} Hz from {len(s)} spikes; expected {a.expect} +- {a.tol} Hz")
assert pops[a.pop]["spikes"] == len(s), "summary.json disagrees with the spike file"
assert np.all(np.diff(s["t"]) >= 0), "spikes not in time order"
assert s["i"].min() >= 0 and s["i"].max() < a.neurons
assert abs(rate - a.expect) <= a.tol, "rate outside tolerance"
print("PASS")
