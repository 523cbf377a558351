import sys

import numpy as np

d = sys.argv[1]
for name, k, npost, self_ok in (("ab", 7, 20, True), ("aa", 29, 30, False)):
    ij = np.load(d + "/%s.w.final.synapses.npy" % name)
    rows = [ij["j"][ij["i"] == i] for i in range(30)]
    good = all(len(r) == k and len(set(r)) == k and r.min() >= 0 and r.max() < npost for r in rows)
    if self_ok:
        print("%s: 30 rows of %d distinct targets in range: %s" % (name, k, good))
    else:
        good = good and all(i not in rows[i] for i in range(30))
        print("%s: 30 rows of %d, never itself: %s" % (name, k, good))
