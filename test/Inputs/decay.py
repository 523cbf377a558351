"""Checks a recorded state variable against x0 * exp(-t / tau) at every sample."""
import argparse

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("trace")
ap.add_argument("--var", required=True)
ap.add_argument("--x0", type=float, required=True)
ap.add_argument("--tau", type=float, required=True)
ap.add_argument("--rtol", type=float, required=True)
a = ap.parse_args()

r = np.load(a.trace)
t = r["t"]
x = r[a.var]
expected = a.x0 * np.exp(-t / a.tau)[:, None]
err = float(np.max(np.abs(x - expected) / np.abs(expected)))
print(f"{len(t)} samples up to t = {t[-1] * 1e3:g} ms; max relative error {err:.2e} "
      f"(tolerance {a.rtol:g})")
assert len(t) > 10
assert err <= a.rtol, "decay outside tolerance"
print("PASS")
