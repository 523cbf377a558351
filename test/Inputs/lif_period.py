"""Checks the firing period of a LIF neuron driven by a constant current against the closed form
T = t_ref + tau_m * ln((R*I - (V_r - E_L)) / (R*I - (V_th - E_L))). Arguments are SI values."""
import argparse
import math

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("spikes")
for name in ["tau_m", "t_ref", "R", "I", "E_L", "V_th", "V_r"]:
    ap.add_argument("--" + name, type=float, required=True)
ap.add_argument("--rtol", type=float, default=0.01)
a = ap.parse_args()

RI = a.R * a.I
expected = a.t_ref + a.tau_m * math.log((RI - (a.V_r - a.E_L)) / (RI - (a.V_th - a.E_L)))
s = np.load(a.spikes)
t = np.sort(s["t"])
assert len(t) >= 3, f"only {len(t)} spikes"
period = float(np.mean(np.diff(t)))
err = abs(period - expected) / expected
print(f"period measured {period * 1e3:.4f} ms, closed form {expected * 1e3:.4f} ms, "
      f"relative error {err:.2e} (tolerance {a.rtol:g})")
assert err <= a.rtol, "period outside tolerance"
print("PASS")
