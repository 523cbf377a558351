"""Final weights of test/stdlib/vogels_istdp.snn against the Vogels et al. (2011) window."""
import math
import sys

import numpy as np

out = sys.argv[1]
w = np.load(f"{out}/ab.w.final.npy")["w"][0]
pairs = np.load(f"{out}/ab.w.final.synapses.npy")
a = np.load(f"{out}/A.spikes.npy")
b = np.load(f"{out}/B.spikes.npy")
tpre = dict(zip(a["i"], a["t"]))
tpost = dict(zip(b["i"], b["t"]))
assert len(tpre) == 200 and len(tpost) == 200, "every neuron fires once"
w0, eta, tau, alpha = 5.0, 1e-3, 20e-3, 2 * 3 * 20e-3
worst = 0.0
for s, (i, j) in enumerate(zip(pairs["i"], pairs["j"])):
    dt = tpost[j] - tpre[i]
    expected = w0 + eta * (math.exp(-abs(dt) / tau) - alpha)
    worst = max(worst, abs(w[s] - expected) / abs(expected - w0))
print("200 pairs; worst relative error of the weight change below 1e-9: %s" % (worst < 1e-9))
