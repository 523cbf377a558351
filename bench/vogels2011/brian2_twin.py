"""Brian2 2.5.1 twin of examples/vogels2011.snn, after Brian2's example
frompapers/Vogels_et_al_2011.py with its learning phase from the start (eta = 0.01): C++
standalone, Euler at 0.1 ms, 5 s. Prints the excitatory rate in 500 ms bins, the reference of
test/Execution/vogels2011.snn.   Usage: /usr/bin/python3 bench/vogels2011/brian2_twin.py [seed]"""
import sys
import tempfile

import numpy as np
from brian2 import (Hz, Network, NeuronGroup, PopulationRateMonitor, Synapses, defaultclock, mV,
                    ms, nS, pA, pF, second, seed, set_device)

set_device("cpp_standalone", directory=tempfile.mkdtemp(prefix="vogels_b2_"))
defaultclock.dt = 0.1 * ms
seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
NE, NI = 8000, 2000
tau_ampa, tau_gaba, epsilon, tau_stdp = 5 * ms, 10 * ms, 0.02, 20 * ms
gl, el, er, memc, bgcurrent = 10 * nS, -60 * mV, -80 * mV, 200 * pF, 200 * pA
eqs = """dv/dt = (-gl*(v - el) - (g_ampa*v + g_gaba*(v - er)) + bgcurrent)/memc : volt (unless refractory)
dg_ampa/dt = -g_ampa/tau_ampa : siemens
dg_gaba/dt = -g_gaba/tau_gaba : siemens"""
P = NeuronGroup(NE + NI, eqs, threshold="v > -50*mV", reset="v = -60*mV", refractory=5 * ms,
                method="euler")
P.v = "-60*mV + rand()*10*mV"
Pe, Pi = P[:NE], P[NE:]
con_e = Synapses(Pe, P, on_pre="g_ampa += 0.3*nS")
con_e.connect(p=epsilon)
con_ii = Synapses(Pi, Pi, on_pre="g_gaba += 3*nS")
con_ii.connect(p=epsilon)
alpha, gmax, eta = 3 * Hz * tau_stdp * 2, 100, 1e-2
con_ie = Synapses(Pi, Pe, """w : 1
dApre/dt = -Apre/tau_stdp : 1 (event-driven)
dApost/dt = -Apost/tau_stdp : 1 (event-driven)""",
                  on_pre="g_gaba += w*nS\nw = clip(w + (Apost - alpha)*eta, 0, gmax)\nApre += 1.",
                  on_post="w = clip(w + Apre*eta, 0, gmax)\nApost += 1.")
con_ie.connect(p=epsilon)
con_ie.w = 1e-10
rate = PopulationRateMonitor(Pe)
Network(P, con_e, con_ii, con_ie, rate).run(5 * second)
r = np.asarray(rate.rate / Hz)
bins = r[: r.size // 5000 * 5000].reshape(-1, 5000).mean(axis=1)
print("E rate per 500 ms (Hz): " + " ".join("%.2f" % x for x in bins))
