"""Brian2 twin of test/Execution/refractory_inputs.snn; its output is pasted into that test.

Run with Debian's Brian2 2.5.1: /usr/bin/python3 test/Inputs/brian2/refractory_inputs.py
One neuron, dv/dt = -v/tau (unless refractory), v = 25 mV at t = 0, threshold v > 20 mV, reset
v = 10 mV, refractory 2 ms, dt = 0.1 ms:
  A: a Synapses(on_pre='v += 1*mV') spike arrives at 1.0 ms (during refractoriness: dropped);
  B: run_regularly('v += 0.1*mV') every step after the state update (snnc's `update` block);
  C: dv/dt = (-v + R*I)/tau (unless refractory), dI/dt = -I/tau_s, on_pre 'I += 1*nA' at 1.0 ms
     (snnc: an ExpCurrent synapse's output onto an input; I itself is not frozen).
Prints v (mV) at the start of each of the first 30 steps, as StateMonitor(when='start') does.
"""
from brian2 import (Mohm, NeuronGroup, SpikeGeneratorGroup, StateMonitor, Synapses, defaultclock,
                    mV, ms, nA, prefs, run)

prefs.codegen.target = "numpy"
defaultclock.dt = 0.1 * ms
tau = 10 * ms
eqs = "dv/dt = -v/tau : volt (unless refractory)"
kw = dict(threshold="v > 20*mV", reset="v = 10*mV", refractory=2 * ms, method="exact")
A = NeuronGroup(1, eqs, **kw)
B = NeuronGroup(1, eqs, **kw)
A.v = B.v = 25 * mV
S = SpikeGeneratorGroup(1, [0], [1.0] * ms)
syn = Synapses(S, A, on_pre="v += 1*mV")
syn.connect()
B.run_regularly("v += 0.1*mV", when="groups", order=1)
R, tau_s = 10 * Mohm, 5 * ms
C = NeuronGroup(1, """dv/dt = (-v + R*I)/tau : volt (unless refractory)
                      dI/dt = -I/tau_s : amp""", **kw)
C.v = 25 * mV
synC = Synapses(S, C, on_pre="I += 1*nA")
synC.connect()
MA = StateMonitor(A, "v", record=0)
MB = StateMonitor(B, "v", record=0)
MC = StateMonitor(C, "v", record=0)
run(3 * ms)
for name, m in (("A", MA), ("B", MB), ("C", MC)):
    print(name, " ".join(repr(float(x)) for x in m.v[0] / mV))
