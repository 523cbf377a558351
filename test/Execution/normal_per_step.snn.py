import math
import sys

import numpy as np

d = sys.argv[1]


def draws(name):  # samples 1..100: the values drawn in steps 0..99
    return np.array([r[1] for r in np.load("%s/P.%s.npy" % (d, name))])[1:101]


def ok(flag):
    return "ok" if flag else "FAILED"


n = 50000
laws = {}
for name, label, mean, var in (("a", "normal(2, 3)", 2.0, 9.0), ("b", "uniform(-1, 1)", 0.0, 1 / 3),
                               ("c", "randn()", 0.0, 1.0)):
    x = draws(name)
    laws[name] = x
    m_ok = abs(x.mean() - mean) < 4 * math.sqrt(var / n)
    v_ok = abs(x.var() - var) / var < 4 * math.sqrt(2 / n) * (1.5 if name == "b" else 1)
    lag = np.corrcoef(x[1:].ravel(), x[:-1].ravel())[0, 1]
    print("%s: mean %s, variance %s, lag-1 %s" % (label, ok(m_ok), ok(v_ok), ok(abs(lag) < 4 / math.sqrt(n))))
r = max(abs(np.corrcoef(laws[p].ravel(), laws[q].ravel())[0, 1]) for p, q in (("a", "b"), ("a", "c"), ("b", "c")))
print("independent laws: %s" % ok(r < 4 / math.sqrt(n)))
