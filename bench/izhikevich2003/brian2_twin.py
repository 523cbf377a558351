"""Brian2 2.5.1 twin of examples/izhikevich2003.snn (C++ standalone, one thread): the same
network, per-neuron parameters, random weights and thalamic input (run_regularly every 1 ms),
integrated with RK4 at dt = 0.1 ms for 1 s. Prints the mean rates of E and I, the mean CV of E's
interspike intervals and E's synchrony (std/mean of its rate in 1 ms bins) after 100 ms, for
test/Execution/izhikevich2003.snn.   Usage: /usr/bin/python3 bench/izhikevich2003/brian2_twin.py [seed]
"""
import sys
import tempfile

import numpy as np
from brian2 import (Network, NeuronGroup, SpikeMonitor, Synapses, defaultclock, mV, ms, seed,
                    set_device)

set_device("cpp_standalone", directory=tempfile.mkdtemp(prefix="izh_b2_"))
defaultclock.dt = 0.1 * ms
seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
eqs = """dv/dt = (0.04/mV * v**2 + 5*v + 140*mV - u + I) / ms : volt
du/dt = a * (b * v - u) / ms : volt
I : volt
a : 1
b : 1
c : volt
d : volt
sigma : volt"""
Ne, Ni = 800, 200
E = NeuronGroup(Ne, eqs, threshold="v >= 30*mV", reset="v = c; u += d", method="rk4")
I = NeuronGroup(Ni, eqs, threshold="v >= 30*mV", reset="v = c; u += d", method="rk4")
rE, rI = np.random.default_rng(11).random(Ne), np.random.default_rng(12).random(Ni)
E.a, E.b, E.c, E.d, E.sigma = 0.02, 0.2, (-65 + 15 * rE ** 2) * mV, (8 - 6 * rE ** 2) * mV, 5 * mV
I.a, I.b, I.c, I.d, I.sigma = 0.02 + 0.08 * rI, 0.25 - 0.05 * rI, -65 * mV, 2 * mV, 2 * mV
for G in (E, I):
    G.v = -65 * mV
    G.u = "b * v"
    G.run_regularly("I = sigma * randn()", dt=1 * ms)
syns = []
for pre, post, scale in ((E, E, "0.5*mV"), (E, I, "0.5*mV"), (I, E, "-1*mV"), (I, I, "-1*mV")):
    S = Synapses(pre, post, "w : 1", on_pre="v_post += %s * w" % scale)
    S.connect()
    S.w = "rand()"
    syns.append(S)
mE, mI = SpikeMonitor(E), SpikeMonitor(I)
net = Network(E, I, *syns, mE, mI)
net.run(1000 * ms)
tE, iE = np.asarray(mE.t / ms) / 1e3, np.asarray(mE.i)
tI = np.asarray(mI.t / ms) / 1e3
keep = tE >= 0.1
rate_E = keep.sum() / (Ne * 0.9)
rate_I = (tI >= 0.1).sum() / (Ni * 0.9)
cvs = []
for k in range(Ne):
    s = np.sort(tE[keep & (iE == k)])
    if s.size >= 3:
        isi = np.diff(s)
        cvs.append(isi.std() / isi.mean())
counts, _ = np.histogram(tE[keep], np.arange(0.1, 1.0 + 1e-9, 1e-3))
print("rate_E %.2f Hz, rate_I %.2f Hz, cv_E %.3f, sync_E %.3f"
      % (rate_E, rate_I, np.mean(cvs), counts.std() / counts.mean()))
