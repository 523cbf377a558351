import sys

import numpy as np

d = sys.argv[1]
n = 40 * 30
for name, mean, var in (("k", 200 * 0.3, 200 * 0.3 * 0.7), ("m", 100.0, 50.0), ("u", 0.0, 20.0)):
    x = np.load(d + "/rel.%s.final.npy" % name)[0][name]
    ij = np.load(d + "/rel.%s.final.synapses.npy" % name)
    assert x.shape == (n,), x.shape
    g = np.zeros((40, 30))
    g[ij["i"], ij["j"]] = x
    mean_ok = abs(x.mean() - mean) < 4 * np.sqrt(var / n)
    # The sample variance's standard error for these near-normal counts: var * sqrt(2 / (n - 1)).
    var_ok = abs(x.var(ddof=1) - var) < 4 * var * np.sqrt(2 / (n - 1))
    row = np.corrcoef(g[:, :-1].ravel(), g[:, 1:].ravel())[0, 1]
    col = np.corrcoef(g[:-1, :].ravel(), g[1:, :].ravel())[0, 1]
    lim = 4 / np.sqrt(n)
    print("%s: mean ok %s, variance ok %s, row corr ok %s, column corr ok %s"
          % (name, mean_ok, var_ok, abs(row) < lim, abs(col) < lim))
