"""Convergence order of an integration method on the logistic equation dx/dt = x (1 - x)/tau,
whose solution is x(t) = 1/(1 + (1/x0 - 1) e^{-t/tau}).

Takes the recordings of runs at dt, dt/2, dt/4, ... (in that order), compares each value at
t = T with the closed form, and checks that every ratio of successive errors lies in
[--min-ratio, --max-ratio] (2^p for a method of order p).
"""
import argparse

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("traces", nargs="+")
ap.add_argument("--var", default="x")
ap.add_argument("--x0", type=float, required=True)
ap.add_argument("--tau", type=float, required=True)
ap.add_argument("--T", type=float, required=True)
ap.add_argument("--min-ratio", type=float, required=True)
ap.add_argument("--max-ratio", type=float, required=True)
a = ap.parse_args()

exact = 1 / (1 + (1 / a.x0 - 1) * np.exp(-a.T / a.tau))
print(f"closed form x({a.T * 1e3:g} ms) = {exact:.17g}")
errors = []
for path in a.traces:
    r = np.load(path)
    k = int(np.argmin(np.abs(r["t"] - a.T)))
    assert abs(r["t"][k] - a.T) < 1e-9, f"{path}: no sample at T"
    x = r[a.var][k]
    assert np.all(x == x[0]), "neurons differ"
    err = abs(float(x[0]) - exact)
    errors.append(err)
    print(f"{path.split('/')[-2]}: x(T) = {float(x[0]):.17g}, error {err:.3e}")
ok = len(errors) >= 2
for e0, e1 in zip(errors, errors[1:]):
    ratio = e0 / e1
    inside = a.min_ratio <= ratio <= a.max_ratio
    print(f"error ratio {ratio:.3f} (accepted [{a.min_ratio:g}, {a.max_ratio:g}])")
    ok = ok and inside
assert ok, "convergence order outside the accepted range"
print("PASS")
