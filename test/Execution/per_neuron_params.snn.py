import sys

import numpy as np

d = sys.argv[1]


def final(name):
    return np.load("%s/P.%s.final.npy" % (d, name))[0][1]


x, y, w, z = final("x"), final("y"), final("w"), final("z")
print("b differs per neuron: %s; in [0, 1): %s; mean within 0.05 of 0.5: %s"
      % (len(set(x)) == x.size, bool(x.min() >= 0 and x.max() < 1), abs(x.mean() - 0.5) < 0.05))
print("y = b T: %s" % np.allclose(y, x * 0.01, rtol=1e-12, atol=0))
print("w = i T: %s" % np.allclose(w, np.arange(1000) * 0.01, rtol=1e-12, atol=1e-15))
print("z = 2 b: %s" % np.array_equal(z, 2 * x))
