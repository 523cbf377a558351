"""Checks recorded linear systems against their closed forms (tests in test/Execution/numerics).

explif V I: v and I of dv/dt = (E_L - v)/tau_m + I/C, dI/dt = -I/tau_s from v(0) = E_L + u0,
            I(0) = I0 (tau_m == tau_s is the degenerate case with a t*exp(-t/tau) term).
chain X1 X2 X3: x1' = -x1/tau, x2' = (x1 - x2)/tau, x3' = (x2 - x3)/tau from (x0, 0, 0):
            x1 = x0 e^{-s}, x2 = x0 s e^{-s}, x3 = x0 s^2/2 e^{-s}, s = t/tau.
osc X Y Z:  a damped rotation x' = -x/tau_d - w y, y' = w x - y/tau_d from (x0, y0), driving
            z' = (x - z)/tau_z from z0; with c = x0 + i y0 and lam = -1/tau_d + i w,
            x + i y = c e^{lam t} and z = Re(g e^{lam t}) + (z0 - Re g) e^{-t/tau_z},
            g = c/(tau_z (lam + 1/tau_z)).
Each error is |got - expected| divided by the largest |expected| of that variable over the run
(the variables pass through zero, where a pointwise relative error means nothing), except
for explif, where v and I keep their sign and the error is pointwise relative.
"""
import argparse

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("model", choices=["explif", "chain", "osc"])
ap.add_argument("traces", nargs="+")
for name in ["E_L", "u0", "I0", "C", "tau_m", "tau_s", "tau", "x0", "y0", "z0", "tau_d", "w",
             "tau_z"]:
    ap.add_argument("--" + name, type=float, default=0.0)
ap.add_argument("--rtol", type=float, required=True)
a = ap.parse_args()

recs = [np.load(p) for p in a.traces]
t = recs[0]["t"]
for r in recs:
    assert np.array_equal(r["t"], t)
got = [r[r.dtype.names[1]] for r in recs]
T = t[:, None]

if a.model == "explif":
    if a.tau_m == a.tau_s:
        u = (a.u0 + a.I0 / a.C * T) * np.exp(-T / a.tau_m)
    else:
        amp = a.I0 / a.C * a.tau_m * a.tau_s / (a.tau_s - a.tau_m)
        u = a.u0 * np.exp(-T / a.tau_m) + amp * (np.exp(-T / a.tau_s) - np.exp(-T / a.tau_m))
    expected = [a.E_L + u, a.I0 * np.exp(-T / a.tau_s)]
    names = ["v", "I"]
    scale = [np.abs(e) for e in expected]
elif a.model == "chain":
    s = T / a.tau
    expected = [a.x0 * np.exp(-s), a.x0 * s * np.exp(-s), a.x0 * s * s / 2 * np.exp(-s)]
    names = ["x1", "x2", "x3"]
    scale = [np.max(np.abs(e)) for e in expected]
else:
    lam = complex(-1 / a.tau_d, a.w)
    c = complex(a.x0, a.y0)
    xy = c * np.exp(lam * T)
    g = c / (a.tau_z * (lam + 1 / a.tau_z))
    z = np.real(g * np.exp(lam * T)) + (a.z0 - g.real) * np.exp(-T / a.tau_z)
    expected = [np.real(xy), np.imag(xy), z]
    names = ["x", "y", "z"]
    scale = [np.max(np.abs(e)) for e in expected]

assert len(got) == len(expected), "wrong number of traces"
print(f"{len(t)} samples up to t = {t[-1] * 1e3:g} ms, {got[0].shape[1]} neurons")
ok = len(t) > 10
for n, g_, e, sc in zip(names, got, expected, scale):
    err = float(np.max(np.abs(g_ - e) / sc))
    print(f"{n}: final {g_[-1, 0]:.17g} expected {e[-1, 0]:.17g}; max relative error {err:.2e} "
          f"(tolerance {a.rtol:g})")
    ok = ok and err <= a.rtol
assert ok, "outside tolerance"
print("PASS")
