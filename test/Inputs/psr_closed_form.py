"""Checks a postsynaptic potential recorded from a LIFInput neuron (tau_m dv/dt = E_L - v + R*I)
against the closed form of its synaptic response to one presynaptic spike. The spike of step n0
is delivered after that step's update, so the response starts at t1 = t_spike + dt (Brian2's
schedule); before t1 the neuron rests at E_L.

  delta         v = E_L + w*exp(-s/tau_m)                                       (w in volts)
  exp-current   v = E_L + R*w*tau/(tau - tau_m) * (exp(-s/tau) - exp(-s/tau_m))
  alpha-current v = E_L + R*w*e/(tau_m*tau) * exp(-s/tau_m) * (1 - exp(-k*s)*(1 + k*s)) / k^2,
                with k = 1/tau - 1/tau_m
  exp-conductance and alpha-conductance have no closed form: v is compared with an independent
  RK4 solution at dt/200 of tau_m dv/dt = E_L - v + R*g(t)*(E_rev - v), g given in closed form.
where s = t - t1.
"""
import argparse

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("trace")
ap.add_argument("--kind", required=True,
                choices=["delta", "exp-current", "alpha-current", "exp-conductance",
                         "alpha-conductance"])
ap.add_argument("--t-spike", type=float, required=True)
ap.add_argument("--dt", type=float, required=True)
ap.add_argument("--w", type=float, required=True)
ap.add_argument("--tau", type=float, default=0.0)
ap.add_argument("--tau-m", type=float, default=10e-3)
ap.add_argument("--R", type=float, default=100e6)
ap.add_argument("--E-L", type=float, default=-70e-3)
ap.add_argument("--E-rev", type=float, default=0.0)
ap.add_argument("--atol", type=float, required=True)
a = ap.parse_args()

r = np.load(a.trace)
t = r["t"]
v = r["v"][:, 0]
t1 = a.t_spike + a.dt
s = np.maximum(t - t1, 0.0)
tau, tm = a.tau, a.tau_m


def conductance(s):
    if a.kind == "exp-conductance":
        return a.w * np.exp(-s / tau)
    return a.w * (s / tau) * np.exp(1 - s / tau)


if a.kind == "delta":
    expected = a.E_L + a.w * np.exp(-s / tm)
elif a.kind == "exp-current":
    expected = a.E_L + a.R * a.w * tau / (tau - tm) * (np.exp(-s / tau) - np.exp(-s / tm))
elif a.kind == "alpha-current":
    k = 1 / tau - 1 / tm
    expected = a.E_L + a.R * a.w * np.e / (tm * tau) * np.exp(-s / tm) * \
        (1 - np.exp(-k * s) * (1 + k * s)) / k**2
else:
    h = a.dt / 200
    f = lambda tt, vv: (a.E_L - vv + a.R * conductance(tt) * (a.E_rev - vv)) / tm
    grid = np.arange(0, s.max() + h / 2, h)
    ref = np.empty_like(grid)
    ref[0] = a.E_L
    for n in range(1, len(grid)):
        tt, vv = grid[n - 1], ref[n - 1]
        k1 = f(tt, vv)
        k2 = f(tt + h / 2, vv + h / 2 * k1)
        k3 = f(tt + h / 2, vv + h / 2 * k2)
        k4 = f(tt + h, vv + h * k3)
        ref[n] = vv + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    expected = np.interp(s, grid, ref)
expected = np.where(t < t1 - a.dt / 2, a.E_L, expected)

err = float(np.max(np.abs(v - expected)))
peak = float(np.max(np.abs(expected - a.E_L)))
print(f"{a.kind}: {len(t)} samples, PSP peak {peak * 1e3:.4f} mV, "
      f"max |error| {err:.3e} V (tolerance {a.atol:g})")
assert peak > 1e-4, "no response"
assert err <= a.atol, "response differs from the closed form"
print("PASS")
