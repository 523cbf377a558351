"""Writes the ANN of test/stdlib/ann_conversion.snn (gen DIR) and checks the converted network's
spike rates against rate coding's closed form, min(1, a / lambda), computed from the files."""
import sys

import numpy as np

STEPS = 4000


def gen(d):
    rng = np.random.RandomState(1)
    w1 = rng.normal(0, 0.5, (16, 24))
    b1 = rng.normal(0, 0.1, 24)
    w2 = rng.normal(0, 0.5, (24, 10))
    b2 = rng.normal(0, 0.1, 10)
    x = rng.uniform(0, 1, (200, 16))
    a1 = np.maximum(0, x @ w1 + b1)
    a2 = np.maximum(0, a1 @ w2 + b2)
    for name, v in [("W1", w1), ("b1", b1), ("W2", w2), ("b2", b2), ("act1", a1), ("act2", a2),
                    ("x0", x[0])]:
        np.save(f"{d}/{name}.npy", v)


def rates(out, pop, n):
    s = np.load(f"{out}/{pop}.spikes.npy")
    return np.bincount(s["i"], minlength=n) / STEPS


def predicted(d, lam1, lam2):
    x, w1, b1, w2, b2 = (np.load(f"{d}/{n}.npy") for n in ("x0", "W1", "b1", "W2", "b2"))
    a1 = np.maximum(0, x @ w1 + b1)
    r1 = np.minimum(1, a1 / lam1)
    # The next layer sees the first layer's (possibly clipped) rates, scaled back by lam1.
    a2 = np.maximum(0, (r1 * lam1) @ w2 + b2)
    return r1, np.minimum(1, a2 / lam2), a2


def check(d, out):
    lam1 = np.percentile(np.load(f"{d}/act1.npy"), 99.9)
    lam2 = np.percentile(np.load(f"{d}/act2.npy"), 99.9)
    ok = True
    for c, w, scale in [("c1", "W1", 1 / lam1), ("c2", "W2", lam1 / lam2)]:
        pairs = np.load(f"{out}/{c}.w.final.synapses.npy")
        got = np.load(f"{out}/{c}.w.final.npy")["w"][0]
        want = np.load(f"{d}/{w}.npy")[pairs["i"], pairs["j"]] * scale
        ok &= np.allclose(got, want, rtol=1e-13, atol=0)
    print("weights normalised by NumPy's percentiles:", ok)
    r1, r2, a2 = predicted(d, lam1, lam2)
    h, o = rates(out, "H", 24), rates(out, "O", 10)
    print("hidden rates within 0.005:", np.abs(h - r1).max() < 0.005, np.abs(h - r1).max())
    print("output rates within 0.005:", np.abs(o - r2).max() < 0.005, np.abs(o - r2).max())
    print("same winner:", int(np.argmax(o)) == int(np.argmax(a2)))


def raw(d, out):
    lam1 = np.percentile(np.load(f"{d}/act1.npy"), 99.9)
    lam2 = np.percentile(np.load(f"{d}/act2.npy"), 99.9)
    r1, r2, _ = predicted(d, lam1, lam2)
    o = rates(out, "O", 10)
    print("unnormalised output saturates:", o.max() > 0.99 and np.abs(o - r2).max() > 0.1)


if __name__ == "__main__":
    {"gen": lambda: gen(sys.argv[2]), "check": lambda: check(sys.argv[2], sys.argv[3]),
     "raw": lambda: raw(sys.argv[2], sys.argv[3])}[sys.argv[1]]()
