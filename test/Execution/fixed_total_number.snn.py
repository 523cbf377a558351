"""Checks test/Execution/fixed_total_number.snn: exact totals, distinct pairs, ranges, no self."""
import sys

import numpy as np

d = sys.argv[1]
for name, n, npost, self_ok in (("ab", 150, 20, True), ("aa", 865, 30, False)):
    ij = np.load(d + "/%s.w.final.synapses.npy" % name)
    pairs = set(zip(ij["i"].tolist(), ij["j"].tolist()))
    good = len(ij) == n and len(pairs) == n and ij["i"].min() >= 0 and ij["i"].max() < 30
    good = good and ij["j"].min() >= 0 and ij["j"].max() < npost
    if self_ok:
        print("%s: %d distinct pairs in range: %s" % (name, n, good))
    else:
        print("%s: %d distinct pairs, never itself: %s" % (name, n, good and not any(i == j for i, j in pairs)))
