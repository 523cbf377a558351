import sys

import numpy as np

d = sys.argv[1]
c = np.array([r[1][0] for r in np.load(d + "/P.c.npy")])
v = np.array([r[1][0] for r in np.load(d + "/P.v.npy")])
cf = float(np.load(d + "/P.c.final.npy")[0][1][0])
mf = float(np.load(d + "/P.m.final.npy")[0][1][0])
print("c final %s; c before steps 1, 10, 11, 99: %s" % (cf, [float(c[k]) for k in (1, 10, 11, 99)]))
print("v at steps 25, 26: %.12g %.12g" % (v[25], v[26]))
print("m final (ms) %s" % round(mf * 1e3, 9))
