"""Hard versus soft reset of a current-driven LIF, tau_m dv/dt = E_L - v + R I, started at E_L.
Between two steps the exact solution is v <- E_inf + (v - E_inf) exp(-dt/tau_m), E_inf = E_L + R I.
Hard reset (v = V_r, no refractory period): every interval is the same, ceil(T/dt) steps with the
continuous period T = tau_m ln(R I/(R I - (V_th - V_r))) (V_r = E_L).
Soft reset (v -= V_th - V_r): the overshoot carries over, so the intervals alternate and the mean
period lies between T and the hard reset's ceil(T/dt) dt. The expected spike steps come from the
exact step map above, with the spike test after each step. Arguments are SI values."""
import argparse
import math

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--hard", required=True)
ap.add_argument("--soft", required=True)
for name in ["dt", "T_run", "tau_m", "R", "I", "E_L", "V_th"]:
    ap.add_argument("--" + name, type=float, required=True)
a = ap.parse_args()

RI, theta = a.R * a.I, a.V_th - a.E_L
T = a.tau_m * math.log(RI / (RI - theta))
steps = int(round(a.T_run / a.dt))
E_inf, P = a.E_L + RI, math.exp(-a.dt / a.tau_m)
v, soft = a.E_L, []
for n in range(steps):
    v = E_inf + (v - E_inf) * P
    assert abs(v - a.V_th) > 1e-12, "a step lands on the threshold: choose other values"
    if v > a.V_th:
        soft.append(n)
        v -= theta
soft = np.array(soft)
p = math.ceil(T / a.dt)
hard = np.arange(p - 1, steps, p)

def steps_of(name):
    return np.rint(np.sort(np.load(f"{a.out}/{name}.spikes.npy")["t"]) / a.dt).astype(np.int64)

got_h, got_s = steps_of(a.hard), steps_of(a.soft)
mean_s = (got_s[-1] - got_s[0]) / (len(got_s) - 1) * a.dt
print(f"continuous period T = {T * 1e3:.4f} ms")
print(f"hard reset: intervals {sorted(set(np.diff(got_h)))} steps, closed form ceil(T/dt) = {p}; "
      f"{len(got_h)} spikes, expected {len(hard)}")
print(f"soft reset: intervals {sorted(set(np.diff(got_s)))} steps, mean period {mean_s * 1e3:.4f} ms; "
      f"{len(got_s)} spikes, exact step map {len(soft)}")
assert np.array_equal(got_h, hard), f"hard: {got_h} != {hard}"
assert np.array_equal(got_s, soft), f"soft: {got_s} != {soft}"
assert T < mean_s < p * a.dt
print("PASS")
