"""Brian2 twin of test/Execution/exprel_rates.snn: the Traub-Miles rate functions exactly as
written in Brian2's COBAHH example (examples/COBAHH.py), evaluated by Brian2 at
v = -80 mV + i * 1 mV, i = 0..60 (this includes the removable singularities of alpha_m at -50 mV,
alpha_n at -48 mV and beta_m at -23 mV).

Run with Debian's Brian2 2.5.1:
  /usr/bin/python3 test/Inputs/brian2/traub_miles_rates.py > test/Execution/Inputs/traub_miles_rates.txt
Output: one line per i: alpha_m beta_m alpha_n in Hz, repr() precision.
"""
from brian2 import NeuronGroup, mV, ms, prefs, Hz

prefs.codegen.target = "numpy"
VT = -63 * mV
eqs = """
v : volt
alpha_m = 0.32*(mV**-1)*4*mV/exprel((13*mV-v+VT)/(4*mV))/ms : Hz
beta_m = 0.28*(mV**-1)*5*mV/exprel((v-VT-40*mV)/(5*mV))/ms : Hz
alpha_n = 0.032*(mV**-1)*5*mV/exprel((15*mV-v+VT)/(5*mV))/ms : Hz
"""
G = NeuronGroup(61, eqs)
G.v = "-80*mV + i*mV"
for am, bm, an in zip(G.alpha_m[:] / Hz, G.beta_m[:] / Hz, G.alpha_n[:] / Hz):
    print(repr(float(am)), repr(float(bm)), repr(float(an)))
