"""Checks test/Execution/positions.snn from the positions alone.

gen DIR:        writes DIR/xy.npy, 60 points in [0, 1000)^2 (um), from a fixed NumPy seed.
check DIR OUT:  the synapses and spikes in OUT against the closed forms below.
"""
import sys

import numpy as np

if sys.argv[1] == "gen":
    rng = np.random.default_rng(7)
    np.save(sys.argv[2] + "/xy.npy", rng.uniform(0, 1000, size=(60, 2)))
    sys.exit(0)

d, out = sys.argv[2], sys.argv[3]


def synapses(name):
    ij = np.load("%s/%s.w.final.synapses.npy" % (out, name))
    w = np.load("%s/%s.w.final.npy" % (out, name))["w"][-1]
    return ij["i"].astype(np.int64), ij["j"].astype(np.int64), w


def pairs(i, j):
    return sorted(zip(i.tolist(), j.tolist()))


# G: a 20 x 20 grid, 50 um apart, periodic (side 1000 um): each axis wraps to min(d, L - d).
ix, iy = np.arange(400) % 20, np.arange(400) // 20


def grid_distance(a, b):
    dx, dy = np.abs(ix[a] - ix[b]) * 50.0, np.abs(iy[a] - iy[b]) * 50.0
    return np.hypot(np.minimum(dx, 1000 - dx), np.minimum(dy, 1000 - dy))


a, b = np.meshgrid(np.arange(400), np.arange(400), indexing="ij")
p = np.exp(-grid_distance(a, b) ** 2 / (2 * 100.0**2))
mean, sd = p.sum(), np.sqrt((p * (1 - p)).sum())
i, j, w = synapses("gg")
print("gg count within 4 sd:", bool(abs(len(i) - mean) < 4 * sd))
print("gg weights are distances:", bool(np.allclose(w, grid_distance(i, j), rtol=1e-12, atol=1e-9)))

i, j, _ = synapses("gi")
print("gi in-degree 5, within 120 um, distinct:", bool((np.bincount(j, minlength=400) == 5).all()),
      bool((grid_distance(i, j) <= 120 + 1e-9).all()), len(set(pairs(i, j))) == len(i))

i, j, _ = synapses("band")
print("band pairs:", pairs(i, j) == [(x, y) for x in range(10) for y in range(12) if abs(x - y) <= 2])

# L: x = 10 i um plus a draw in [0, 1) um, so neighbours are 9..11 um apart: distance < 25 um
# holds exactly for |i - j| <= 2; the weight is the presynaptic x in um, within 1 of 10 i.
i, j, w = synapses("ll")
print("L pairs:", pairs(i, j) == [(x, y) for x in range(30) for y in range(30) if abs(x - y) <= 2],
      "weights:", bool(np.all((w >= 10 * i) & (w < 10 * i + 1))))

xy = np.load(d + "/xy.npy")
dist = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
i, j, _ = synapses("ff")
want = [(x, y) for x in range(60) for y in range(60) if dist[x, y] < 200]
print("F pairs:", pairs(i, j) == want)

# B_j is 30 j um from A: delay 30 j um / (0.1 m/s) = 0.3 j ms = 3 j steps; a listener fires one
# step after an arrival, and A fires at steps 5, 16, 27, 38, 49 of the 50.
dt, steps = 1e-4, 50
pre = np.rint(np.load(out + "/A.spikes.npy")["t"] / dt).astype(int)
s = np.load(out + "/B.spikes.npy")
t = np.rint(s["t"] / dt).astype(int)
ok = list(pre) == [5, 16, 27, 38, 49]
for k in range(6):
    ok = ok and sorted(t[s["i"] == k]) == [q + 3 * k + 1 for q in pre if q + 3 * k + 1 < steps]
print("B arrivals:", ok)

# C: a 5 x 4 x 3 grid 10 um apart, neuron i at (i % 5, i // 5 % 4, i // 20): the six nearest
# neighbours (distance exactly 10 um) and none below (post.z > pre.z - 1 um), never itself;
# the weight is the post neuron's y in um.
c = np.stack([np.arange(60) % 5, np.arange(60) // 5 % 4, np.arange(60) // 20], axis=1) * 10.0
i, j, w = synapses("cc")
want = [(x, y) for x in range(60) for y in range(60)
        if x != y and ((c[x] - c[y]) ** 2).sum() <= 100 + 1e-9
        and c[y, 2] > c[x, 2] - 1]
print("C pairs:", pairs(i, j) == want, "weights:", bool(np.allclose(w, c[j, 1], rtol=1e-12, atol=0)))
