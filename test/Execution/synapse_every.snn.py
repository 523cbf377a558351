import sys

import numpy as np

d = sys.argv[1]
for name in ("ab", "ba"):
    w = np.load("%s/%s.w.final.npy" % (d, name))["w"][0]
    p = np.load("%s/%s.w.final.synapses.npy" % (d, name))
    w0 = 1 + p["i"] + 10 * p["j"].astype(float)
    sums = {j: w[p["j"] == j].sum() for j in set(p["j"])}
    want = np.array([5 * w0[k] / w0[p["j"] == p["j"][k]].sum() for k in range(w.size)])
    print("%s: columns sum to 5: %s; proportions kept: %s"
          % (name, all(abs(s - 5) < 1e-12 for s in sums.values()),
             bool(np.allclose(w, want, rtol=1e-14, atol=0))))
