"""Spike times and final threshold of test/stdlib/lif_adaptive.snn against the closed form."""
import math
import sys

import numpy as np

d = sys.argv[1]
t = np.load(d + "/P.spikes.npy")["t"]
n = t.size
tau_m, E_L, V_reset, V_th, offset, t_ref, I, plus = 0.1, -0.065, -0.065, -0.052, 0.02, 0.005, 0.02, 5e-4
ok, last = True, None
for k in range(n):
    th = V_th + 0.02 + k * plus - offset
    if k == 0:  # from v = -65 mV at t = 0, no refractory period before
        T = tau_m * math.log((E_L + I - V_reset) / (E_L + I - th))
        got = t[0]
    else:
        T = t_ref + tau_m * math.log((E_L + I - V_reset) / (E_L + I - th))
        got = t[k] - t[k - 1]
    ok = ok and abs(got - T) <= 1.5e-4
growing = bool(np.all(np.diff(np.diff(t)) > -1e-12))
print("P: spikes %d; intervals within a step of the closed form: %s; growing: %s" % (n, ok, growing))
tq = np.load(d + "/Q.spikes.npy")["t"]
theta = float(np.load(d + "/Q.theta.final.npy")[0][1][0])
T, tau_theta = 2.0, 1e4
# A spike in the step starting at t_j raises theta in that step's reset, after the step's decay:
# its increment decays from t_j + dt on.
want = 0.02 * math.exp(-T / tau_theta) + sum(plus * math.exp(-(T - tj - 1e-4) / tau_theta)
                                             for tj in tq)
err = abs(theta - want) / want
print("Q: theta after the run as its spikes left it: %s" % (err < 1e-12))
if err >= 1e-12:
    print("  theta %.17g want %.17g" % (theta, want))
