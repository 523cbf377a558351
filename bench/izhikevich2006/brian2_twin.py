"""Brian2 2.5.1 twin of examples/izhikevich2006.snn (Izhikevich 2006, "Polychronization", the
network of its spnet.m): 800 RS and 200 FS Izhikevich neurons; each excitatory neuron contacts
any neuron with probability 0.1 (100 on average; spnet: exactly 100) with a delay of 1..20 ms and
weight 6, each inhibitory neuron contacts excitatory ones with probability 0.125, 1 ms, -5;
excitatory synapses learn with spnet's STDP (traces set to 0.1 and 0.12 at spikes, tau 20 ms,
accumulated into sd and applied once a second: w = clip(w + 0.01 + sd, 0, 10), sd *= 0.9);
thalamic input: each neuron gets I = 20 mV for a 1 ms step with probability 1/1000 (spnet: one
random neuron per ms). C++ standalone, RK4 at 0.1 ms, 5 s. Prints the excitatory and inhibitory
rates per second and the mean excitatory weight at the end: the reference of
test/Execution/izhikevich2006.snn.   Usage: /usr/bin/python3 bench/izhikevich2006/brian2_twin.py [seed]"""
import sys
import tempfile

import numpy as np
from brian2 import (NeuronGroup, SpikeMonitor, Synapses, defaultclock, ms, mV, run, second,
                    seed, set_device)

set_device("cpp_standalone", directory=tempfile.mkdtemp(prefix="izh2006_b2_"))
defaultclock.dt = 0.1 * ms
seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
NE, NI, T = 800, 200, 5
eqs = """dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u + I)/ms : volt
du/dt = a*(b*v - u)/ms : volt
I : volt
a : 1
d : volt"""
P = NeuronGroup(NE + NI, eqs, threshold="v >= 30*mV", reset="v = -65*mV; u += d", method="rk4")
P.v = -65 * mV
P.u = 0.2 * -65 * mV
P.a[:NE], P.d[:NE] = 0.02, 8 * mV
P.a[NE:], P.d[NE:] = 0.1, 2 * mV
b = 0.2
P.run_regularly("I = 20*mV*int(rand() < 0.001)", dt=1 * ms)
exc = Synapses(P[:NE], P, """w : 1
sd : 1
dapre/dt = -apre/(20*ms) : 1 (event-driven)
dapost/dt = -apost/(20*ms) : 1 (event-driven)""",
               on_pre="v_post += w*mV; apre = 0.1; sd -= apost",
               on_post="apost = 0.12; sd += apre")
exc.connect(p=0.1)
exc.w = 6
exc.delay = "(1 + floor(20*rand()))*ms"
exc.run_regularly("w = clip(w + 0.01 + sd, 0, 10); sd = 0.9*sd", dt=1 * second)
inh = Synapses(P[NE:], P[:NE], "w : 1", on_pre="v_post += w*mV", delay=1 * ms)
inh.connect(p=0.125)
inh.w = -5
spikes = SpikeMonitor(P)
run(T * second)
t, i = np.asarray(spikes.t / second), np.asarray(spikes.i)
for s in range(T):
    inside = (t >= s) & (t < s + 1)
    print("second %d: E %.2f Hz, I %.2f Hz" % (s, np.sum(inside & (i < NE)) / NE,
                                              np.sum(inside & (i >= NE)) / NI))
print("mean E weight %.4f" % np.mean(exc.w))
