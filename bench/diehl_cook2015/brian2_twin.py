"""Brian2 2.5.1 twin of examples/diehl_cook2015.snn: Diehl & Cook (2015)'s network (their Brian
code's neurons, STDP and weight normalisation) on synthetic patterns instead of MNIST. 16 Poisson
inputs in 4 patterns of 4 (pattern k: inputs 4k..4k+3 at 63.75 Hz), shown in turn for 350 ms
with 150 ms of rest; 4 excitatory neurons with adaptive thresholds, each driving one inhibitory
neuron that inhibits the other three; plastic input weights (pre trace, two post traces,
clipped to [0, 10]) whose sum onto each excitatory neuron is set to 30 every 500 ms. C++
standalone, exponential Euler at 0.5 ms, 40 s. Prints each excitatory neuron's share of its
input weight per pattern and the spike counts: the reference of test/Execution/diehl_cook2015.snn.
Usage: /usr/bin/python3 bench/diehl_cook2015/brian2_twin.py [seed]"""
import sys
import tempfile

import numpy as np
from brian2 import (Hz, NeuronGroup, SpikeMonitor, Synapses, defaultclock, ms, mV, run, second,
                    seed, set_device)

set_device("cpp_standalone", directory=tempfile.mkdtemp(prefix="dc2015_b2_"))
defaultclock.dt = 0.5 * ms
seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
N_in, N_e, T = 16, 4, 40 * second
inp = NeuronGroup(N_in, "k : 1", threshold="rand() < 63.75*Hz*dt*int(k == int(t / (500*ms)) % 4)"
                  "*int(t - int(t / (500*ms))*500*ms < 350*ms)")
inp.k = "floor(i / 4)"
exc = NeuronGroup(N_e, """dv/dt = ((-65*mV - v) + ge*(0*mV - v) + gi*(-100*mV - v))/(100*ms) : volt (unless refractory)
dge/dt = -ge/(1*ms) : 1
dgi/dt = -gi/(2*ms) : 1
dtheta/dt = -theta/(1e7*ms) : volt
wsum : 1""", threshold="v > -52*mV + theta - 20*mV", reset="v = -65*mV; theta += 0.05*mV",
                  refractory=5 * ms, method="exponential_euler")
exc.v, exc.theta = -105 * mV, 20 * mV
inh = NeuronGroup(N_e, """dv/dt = ((-60*mV - v) + ge*(0*mV - v) + gi*(-85*mV - v))/(10*ms) : volt (unless refractory)
dge/dt = -ge/(1*ms) : 1
dgi/dt = -gi/(2*ms) : 1""", threshold="v > -40*mV", reset="v = -45*mV", refractory=2 * ms,
                  method="exponential_euler")
inh.v = -100 * mV
S = Synapses(inp, exc, """w : 1
wsum_post = w : 1 (summed)
dapre/dt = -apre/(20*ms) : 1 (event-driven)
dpost1/dt = -post1/(20*ms) : 1 (event-driven)
dpost2/dt = -post2/(40*ms) : 1 (event-driven)""",
             on_pre="ge_post += w; apre = 1; w = clip(w - 0.01*post1, 0, 10)",
             on_post="w = clip(w + 1.0*apre*post2, 0, 10); post1 = 1; post2 = 1")
S.connect()
S.w = "rand()*3"
# After the summed variable is updated (groups slot), so that it is this step's sum.
S.run_regularly("w = w*30/wsum_post", dt=500 * ms, when="before_synapses")
ei = Synapses(exc, inh, on_pre="ge_post += 10.4")
ei.connect(j="i")
ie = Synapses(inh, exc, on_pre="gi_post += 17")
ie.connect(condition="i != j")
spikes = SpikeMonitor(exc)
run(T)
W = np.zeros((N_in, N_e))
W[np.asarray(S.i), np.asarray(S.j)] = np.asarray(S.w)
P = W.reshape(4, 4, N_e).sum(axis=1)
share = P / P.sum(axis=0)
print("weight share per pattern (rows) and neuron (columns):")
print(np.round(share, 3))
print("best share per neuron", np.round(share.max(axis=0), 3), "patterns won",
      len(set(share.argmax(axis=0))))
print("spikes per neuron", np.bincount(np.asarray(spikes.i), minlength=N_e))
