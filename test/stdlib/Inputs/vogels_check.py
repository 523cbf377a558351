"""Final weights of test/stdlib/vogels_istdp.snn against the Vogels et al. (2011) window."""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Inputs"))
from spike_pairs import load_pairs  # noqa: E402

w, pairs, tpre, tpost = load_pairs(sys.argv[1])
w0, eta, tau, alpha = 5.0, 1e-3, 20e-3, 2 * 3 * 20e-3
worst = 0.0
for s, (i, j) in enumerate(zip(pairs["i"], pairs["j"])):
    dt = tpost[j] - tpre[i]
    expected = w0 + eta * (math.exp(-abs(dt) / tau) - alpha)
    worst = max(worst, abs(w[s] - expected) / abs(expected - w0))
print("200 pairs; worst relative error of the weight change below 1e-9: %s" % (worst < 1e-9))
