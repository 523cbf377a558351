import sys

import numpy as np

d = sys.argv[1]
v = np.array([r[1] for r in np.load(d + "/P.v.npy")])
n = np.arange(v.shape[0])[:, None]
want = 1 / 3 + (np.array([1.0, 0, 0]) - 1 / 3) * 0.985 ** n
print("%d samples; v = 1/3 + (v0 - 1/3) 0.985^n: %s; mean kept: %s"
      % (v.shape[0], bool(np.allclose(v, want, rtol=0, atol=1e-13)),
         bool(np.allclose(v.mean(axis=1), 1 / 3, rtol=0, atol=1e-13))))
