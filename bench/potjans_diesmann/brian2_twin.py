"""Brian2 2.5.1 twin of examples/potjans_diesmann.snn (C++ standalone, one thread) at a reduced
scale: the same populations, parameters and construction (make_snn.py's table; distinct pairs per
population pair, normal weights and delays clipped as in the .snn, PoissonInput background, the
DC that makes up for scaled in-degrees). Prints each population's mean rate over [T0, T], the
reference numbers of test/Execution/potjans_diesmann.snn.
Usage: /usr/bin/python3 bench/potjans_diesmann/brian2_twin.py [scale] [T] [seed]
       (default 0.1 1 1; scale is both N_scale and K_scale)
"""
import math
import os
import sys
import tempfile

import numpy as np
from brian2 import (Hz, Network, NeuronGroup, PoissonInput, SpikeMonitor, Synapses, defaultclock,
                    device, ms, mV, pA, pF, prefs, seed, set_device)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_snn import C, K_EXT, N_FULL, POPS, RATES  # noqa: E402

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 0.1
T = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
run_seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
T0 = 0.1  # the start-up transient left out of the rates

set_device("cpp_standalone", directory=tempfile.mkdtemp(prefix="pd_b2_"))
prefs.devices.cpp_standalone.extra_make_args_unix = ["-j2"]
defaultclock.dt = 0.1 * ms
seed(run_seed)
rng = np.random.default_rng(run_seed)

C_m, tau_m, tau_s = 250 * pF, 10 * ms, 0.5 * ms
a = tau_m / tau_s
psc = 0.15 * mV * C_m / (tau_m * tau_s / (tau_s - tau_m) *
                         (a ** (-tau_m / (tau_m - tau_s)) - a ** (-tau_s / (tau_m - tau_s))))
w_e = psc / math.sqrt(scale)
w_i = -4 * w_e
N = [int(round(n * scale)) for n in N_FULL]
start = np.concatenate([[0], np.cumsum(N)])
K_full = [[math.log(1 - C[t][s]) / math.log(1 - 1 / (N_FULL[s] * N_FULL[t])) if C[t][s] > 0 else 0
           for s in range(8)] for t in range(8)]


def weight(t, s):
    return (2 * w_e if (t, s) == (0, 2) else w_e) if s % 2 == 0 else w_i


eqs = """dv/dt = (E_L - v) / tau_m + (I_syn + I_dc) / C_m : volt (unless refractory)
dI_syn/dt = -I_syn / tau_s : amp
I_dc : amp"""
E_L, V_th, V_reset = -65 * mV, -50 * mV, -65 * mV
G = NeuronGroup(int(start[-1]), eqs, threshold="v >= V_th", reset="v = V_reset",
                refractory=2 * ms, method="exact")
G.v = (-58 + 10 * rng.standard_normal(int(start[-1]))) * mV
dc = np.zeros(int(start[-1]))
for t in range(8):
    inp = sum(weight(t, s) * math.sqrt(scale) * K_full[t][s] / N_FULL[t] * RATES[s] * Hz
              for s in range(8) if C[t][s] > 0)
    inp = inp + w_e * math.sqrt(scale) * K_EXT[t] * 8 * Hz
    dc[start[t]:start[t + 1]] = float(tau_s * (1 - math.sqrt(scale)) * inp / pA)
G.I_dc = dc * pA

src, tgt, w, d = [], [], [], []
for t in range(8):
    for s in range(8):
        if C[t][s] == 0:
            continue
        n = int(round(K_full[t][s] * scale * scale))
        pairs = rng.choice(N[s] * N[t], n, replace=False)
        src.append(start[s] + pairs // N[t])
        tgt.append(start[t] + pairs % N[t])
        mu = float(weight(t, s) / pA)
        ws = rng.normal(mu, abs(0.1 * mu), n)
        w.append(np.maximum(ws, 0) if s % 2 == 0 else np.minimum(ws, 0))
        md = 1.5 if s % 2 == 0 else 0.75
        d.append(np.maximum(rng.normal(md, md / 2, n), 0.1))
S = Synapses(G, G, "w : amp", on_pre="I_syn_post += w")
S.connect(i=np.concatenate(src), j=np.concatenate(tgt))
S.w = np.concatenate(w) * pA
S.delay = np.concatenate(d) * ms
inputs = [PoissonInput(G[start[t]:start[t + 1]], "I_syn", int(round(K_EXT[t] * scale)), 8 * Hz,
                       weight=w_e) for t in range(8)]
mon = SpikeMonitor(G)
Network(G, S, *inputs, mon).run(T * 1000 * ms)
ts, idx = np.asarray(mon.t / ms) / 1e3, np.asarray(mon.i)
keep = ts >= T0
rates = [np.sum((idx[keep] >= start[k]) & (idx[keep] < start[k + 1])) / N[k] / (T - T0)
         for k in range(8)]
print("scale %g T %g seed %d: " % (scale, T, run_seed) +
      " ".join("%s %.3f" % (p, r) for p, r in zip(POPS, rates)), flush=True)
