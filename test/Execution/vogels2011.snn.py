import sys

import numpy as np

r = np.array([float(x[1]) for x in np.load(sys.argv[1] + "/P.rate.npy")])
print("rates " + " ".join("%.2f" % x for x in r), file=sys.stderr)
first = abs(r[0] / 120.52 - 1) < 0.05
rest = abs(r[1:].mean() / 16.76 - 1) < 0.10
falls = r[-1] < r[0] / 6
print("first bin %s; mean of the others %s; falls %s"
      % tuple("ok" if f else "FAILED" for f in (first, rest, falls)))
