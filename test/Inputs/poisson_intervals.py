"""Statistics of test/Execution/poisson_intervals.snn against a Bernoulli process with
p = rate*dt per step (the law `rand() < p` defines): the spike count is binomial, interspike
intervals in steps are geometric, P(k) = (1 - p)^(k - 1) p, and the first spike comes after a
geometric number of steps from 0. Each statistic must lie within 5 standard errors.
usage: poisson_intervals.py OUT"""
import math
import sys

import numpy as np

dt, steps, n, p = 1e-4, 20000, 400, 0.01
out = sys.argv[1]
s = np.load(f"{out}/P.spikes.npy")
k = np.rint(s["t"] / dt).astype(np.int64)
ok = True


def check(name, got, want, se):
    global ok
    z = (got - want) / se
    good = abs(z) <= 5
    ok &= good
    print(f"{name}: {got:.6g}, expected {want:.6g} +- {se:.3g} (z = {z:+.2f}) "
          f"{'PASS' if good else 'FAIL'}")


check("spike count", len(s), n * steps * p, math.sqrt(n * steps * p * (1 - p)))
isis, firsts = [], []
for i in range(n):
    ki = np.sort(k[s["i"] == i])
    if len(ki):
        firsts.append(ki[0])
        isis.append(np.diff(ki))
isi = np.concatenate(isis)
m = len(isi)
check("ISI mean (steps)", isi.mean(), 1 / p, math.sqrt((1 - p) / p ** 2 / m))
for j in (1, 2, 10):
    q = (1 - p) ** (j - 1) * p if j < 10 else 1 - (1 - p) ** 10
    frac = np.mean(isi == j) if j < 10 else np.mean(isi <= 10)
    check(f"P(ISI {'=' if j < 10 else '<='} {j})", frac, q, math.sqrt(q * (1 - q) / m))
first = np.array(firsts)
check("first spike step, mean", first.mean(), (1 - p) / p, math.sqrt((1 - p) / p ** 2 / len(first)))
every = np.load(f"{out}/F.spikes.npy")
print("p = 1 fires every step:", "PASS" if len(every) == 4 * steps else "FAIL")
ok &= len(every) == 4 * steps
print("PASS" if ok else "FAIL")
