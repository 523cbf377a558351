"""Final weights of test/stdlib/stdp_window.snn against the pair-STDP window."""
import math
import sys

from spike_pairs import load_pairs

w, pairs, tpre, tpost = load_pairs(sys.argv[1])
w0, apre, apost, tau = 0.005, 1e-4, -1.05e-4, 20e-3
worst = 0.0
for s, (i, j) in enumerate(zip(pairs["i"], pairs["j"])):
    assert abs(tpre[i] - (5 + i) * 1e-4) < 1e-12 and abs(tpost[j] - 0.01) < 1e-12
    dt = tpost[j] - tpre[i]
    if abs(dt) < 1e-12:
        expected = w0 + apre
    elif dt > 0:
        expected = w0 + apre * math.exp(-dt / tau)
    else:
        expected = w0 + apost * math.exp(dt / tau)
    err = abs(w[s] - expected) / abs(expected - w0)
    worst = max(worst, err)
print(f"200 pairs, Dt from {(0.01 - 0.0005) * 1e3:.1f} to {(0.01 - 0.0204) * 1e3:.1f} ms; "
      f"worst relative error of the weight change {worst:.2e}")
assert worst < 1e-9
print("PASS")
