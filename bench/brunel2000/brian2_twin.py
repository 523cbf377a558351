"""Brian2 2.5.1 twin of examples/brunel2000.snn (C++ standalone, one thread): the same model,
parameters and connectivity rules (fixed in-degree, PoissonInput from C_E trains of
eta nu_thr each), run for T seconds. Prints analyse.stats for each regime, the reference numbers
of test/Execution/brunel2000.snn.
Usage: /usr/bin/python3 bench/brunel2000/brian2_twin.py [T] [g:eta]   (default 1 s, 6:4)
"""
import os
import sys
import tempfile

import numpy as np
from brian2 import (Network, NeuronGroup, PoissonInput, SpikeMonitor, Synapses, defaultclock, device, ms,
                    mV, run, seed, set_device, Hz)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from analyse import stats  # noqa: E402

T = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
g, eta = (float(x) for x in (sys.argv[2] if len(sys.argv) > 2 else "6:4").split(":"))

if True:  # one regime per process (Brian2's standalone device builds once)
    set_device("cpp_standalone", directory=tempfile.mkdtemp(prefix="brunel_b2_"))
    defaultclock.dt = 0.1 * ms
    seed(1)
    NE, NI = 10000, 2500
    CE, CI = NE // 10, NI // 10
    J, D, tau, theta, Vr = 0.1 * mV, 1.5 * ms, 20 * ms, 20 * mV, 10 * mV
    nu_thr = theta / (J * CE * tau)
    eqs = "dv/dt = -v / tau : volt (unless refractory)"
    P = NeuronGroup(NE + NI, eqs, threshold="v > theta", reset="v = Vr", refractory=2 * ms,
                    method="exact")
    P.v = Vr
    E, I = P[:NE], P[NE:]
    # Fixed in-degree: each post neuron draws C distinct pre neurons. (An explicit Network: the
    # magic run() simulates only the objects it finds by name, not those in a list.)
    synapses = []
    for pre, C, w, name in ((E, CE, "J", "e"), (I, CI, "-g*J", "i")):
        S = Synapses(pre, P, on_pre="v_post += " + w, delay=D, name="syn_" + name)
        n_pre = len(pre)
        rng = np.random.default_rng(1 if name == "e" else 2)
        src = np.concatenate([rng.choice(n_pre, C, replace=False) for _ in range(NE + NI)])
        tgt = np.repeat(np.arange(NE + NI), C)
        S.connect(i=src, j=tgt)
        synapses.append(S)
    PI = PoissonInput(P, "v", CE, eta * nu_thr, weight=J)
    mE, mI = SpikeMonitor(E), SpikeMonitor(I)
    Network(P, *synapses, PI, mE, mI).run(T * 1000 * ms)
    s = stats(np.asarray(mE.t / 1e3 / ms), np.asarray(mE.i), np.asarray(mI.t / 1e3 / ms),
              np.asarray(mI.i), NE, NI, T)
    print("g=%g eta=%g T=%g: rate_E %.2f Hz, rate_I %.2f Hz, cv_E %.3f, sync_E %.3f"
          % (g, eta, T, s["rate_E"], s["rate_I"], s["cv_E"], s["sync_E"]), flush=True)
