"""Checks test/Execution/conv2d.snn against PyTorch's Conv2d, computed with NumPy.

gen DIR:        writes the kernels (k.npy: (3, 2, 3, 3), k1.npy: (3, 3)) and the inputs' spike
                files (each active input of a random binary image spikes once, at 0.1 ms).
check DIR OUT:  the outputs' final v against conv2d(X, K), and the recorded synapses.
"""
import sys

import numpy as np


def conv2d(x, k, stride=1, padding=0):
    """out[o, oy, ox] = sum over c, ky, kx of x[c, oy s - p + ky, ox s - p + kx] k[o, c, ky, kx]."""
    c, h, w = x.shape
    o, _, kh, kw = k.shape
    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    oh, ow = (h + 2 * padding - kh) // stride + 1, (w + 2 * padding - kw) // stride + 1
    out = np.zeros((o, oh, ow))
    for a in range(oh):
        for b in range(ow):
            patch = xp[:, a * stride:a * stride + kh, b * stride:b * stride + kw]
            out[:, a, b] = (patch[None] * k).sum(axis=(1, 2, 3))
    return out


if sys.argv[1] == "gen":
    d = sys.argv[2]
    rng = np.random.default_rng(1)
    np.save(d + "/k.npy", rng.normal(size=(3, 2, 3, 3)))
    np.save(d + "/k1.npy", rng.normal(size=(3, 3)))
    for name, shape in (("in", (2, 7, 6)), ("in1", (1, 5, 5))):
        x = rng.random(shape) < 0.4
        np.save("%s/%s.x.npy" % (d, name), x)
        idx = np.flatnonzero(x.ravel())
        open("%s/%s.csv" % (d, name), "w").write("t,i\n" + "".join("0.0001,%d\n" % i for i in idx))
    sys.exit(0)

d, out = sys.argv[2], sys.argv[3]
x, x1 = np.load(d + "/in.x.npy").astype(float), np.load(d + "/in1.x.npy").astype(float)
k, k1 = np.load(d + "/k.npy"), np.load(d + "/k1.npy")


def final(name):
    return np.load("%s/%s.v.final.npy" % (out, name))["v"][-1]


want = conv2d(x, k, 2, 1).ravel()
print("O = conv2d(X, K, stride 2, padding 1):", bool(np.allclose(final("O"), want, rtol=0, atol=1e-12)))
print("O2 = conv2d(X, K / 2) * 2:", bool(np.allclose(final("O2"), want, rtol=0, atol=1e-12)))
print("Q = conv2d(X1, K1):", bool(np.allclose(final("Q"), conv2d(x1, k1[None, None]).ravel(),
                                              rtol=0, atol=1e-12)))

# The synapses: input (c, y, x) -> output (o, oy, ox) wherever ky = y - (2 oy - 1) and
# kx = x - (2 ox - 1) fall in [0, 3), weighing k[o, c, ky, kx].
want_pairs, want_w = [], {}
for i in range(84):
    c, y, xx = i // 42, i // 6 % 7, i % 6
    for j in range(36):
        o, oy, ox = j // 12, j // 3 % 4, j % 3
        ky, kx = y - (2 * oy - 1), xx - (2 * ox - 1)
        if 0 <= ky < 3 and 0 <= kx < 3:
            want_pairs.append((i, j))
            want_w[(i, j)] = k[o, c, ky, kx]
ij = np.load(out + "/kw.w.final.synapses.npy")
w = np.load(out + "/kw.w.final.npy")["w"][-1]
pairs = list(zip(ij["i"].tolist(), ij["j"].tolist()))
print("recorded pairs and weights:", sorted(pairs) == want_pairs,
      all(w[n] == want_w[p] for n, p in enumerate(pairs)))
