"""Compares a spike file with an exact list of expected spikes given as TIME_SECONDS:INDEX."""
import sys

import numpy as np

s = np.load(sys.argv[1])
expected = [(float(t), int(i)) for t, i in (x.split(":") for x in sys.argv[2:])]
got = [(float(t), int(i)) for t, i in zip(s["t"], s["i"])]
print("expected", expected)
print("got     ", got)
assert len(got) == len(expected), "different number of spikes"
for (tg, ig), (te, ie) in zip(got, expected):
    assert ig == ie and abs(tg - te) < 1e-12, "spike mismatch"
print("PASS")
