import sys

import numpy as np

d = sys.argv[1]
s = np.load(d + "/P.spikes.npy")
print("spike steps", [int(round(x / 1e-4)) for x in s["t"]])


def final(name):
    return float(np.load("%s/%s.final.npy" % (d, name))[0][1][0])


print("n", final("P.n"), "m", final("P.m"), "u", final("P.u"))
w = np.load(d + "/P.w.npy")
print("w every 10 ms", [float(r[1][0]) for r in w])
print("k", final("Q.k"), "j", final("Q.j"))
