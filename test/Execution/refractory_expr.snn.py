import sys

import numpy as np

d = sys.argv[1]
for pop, n in (("A", 3), ("B", 1)):
    s = np.load("%s/%s.spikes.npy" % (d, pop))
    for k in range(n):
        print(pop, k, [int(round(t / 1e-4)) for t in s["t"][s["i"] == k]])
