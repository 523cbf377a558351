"""Checks test/stdlib/stp.snn: each amplitude (the jump of the summing neuron at each spike)
against the Tsodyks-Markram recursion evaluated in closed form between the recorded spikes."""
import math
import sys

import numpy as np

d = sys.argv[1]
spikes = np.load(d + "/Pre.spikes.npy")
dt = 1e-4
for k, (name, U, tau_rec, tau_fac) in enumerate((("depressing", 0.5, 0.8, 1e-6),
                                                  ("facilitating", 0.1, 0.1, 1.0))):
    t = spikes["t"][spikes["i"] == k]
    rec = np.load("%s/%s.s.npy" % (d, "Dep" if k == 0 else "Fac"))
    s = np.array([r[1][0] for r in rec])
    steps = np.round(t / dt).astype(int)
    got = s[steps + 1] - s[steps]  # delivered in the spike's step, seen at the next sample
    x, u, last, want = 1.0, 0.0, None, []
    for tn in t:
        if last is not None:
            h = tn - last
            x = 1 - (1 - x) * math.exp(-h / tau_rec)
            u = u * math.exp(-h / tau_fac)
        u = u + U * (1 - u)
        want.append(1e-3 * u * x)
        x = x - u * x
        last = tn
    want = np.array(want)
    err = np.max(np.abs(got - want) / want)
    print("%s: %d amplitudes, max relative error below 1e-12: %s" % (name, t.size, bool(err < 1e-12)))
    print("  amplitudes (mV): " + " ".join("%.4f" % (1e3 * a) for a in got) + "  (error %.1e)" % err)
