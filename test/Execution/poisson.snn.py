import math
import sys

import numpy as np

d = sys.argv[1]


def binom_pmf(n, p, kmax):
    k = np.arange(kmax + 1)
    logc = np.array([math.lgamma(n + 1) - math.lgamma(x + 1) - math.lgamma(n - x + 1) for x in k])
    return np.exp(logc + k * math.log(p) + (n - k) * math.log1p(-p))


def pmf(lam, kmax):
    k = np.arange(kmax + 1)
    return np.exp(k * math.log(lam) - lam - np.array([math.lgamma(x + 1) for x in k]))


def chi2_quantile(df, z=3.719):  # z: the normal quantile at 1 - 1e-4 (Wilson-Hilferty)
    return df * (1 - 2 / (9 * df) + z * math.sqrt(2 / (9 * df))) ** 3


def ok(flag):
    return "ok" if flag else "FAILED"


cases = [(pop, lam, "n", None) for pop, lam in (("A", 0.01), ("B", 3.5), ("C", 40), ("D", 2000))]
cases += [(pop, n * p, "n_", (n, p)) for pop, n, p in (("E", 10, 0.3), ("F", 1000, 0.002),
                                                       ("G", 100000, 0.02))]
for pop, lam, var_name, binom in cases:
    rec = np.load("%s/%s.%s.npy" % (d, pop, var_name))
    x = np.concatenate([r[1] for r in rec[1:101]])  # steps 1..100 (the sample at 0 is the initial 0)
    n = x.size
    assert np.all(x == np.round(x)) and x.min() >= 0
    kmax = int(lam + 20 * math.sqrt(lam) + 20)
    if binom:
        kmax = min(kmax, binom[0])
    expected = (binom_pmf(binom[0], binom[1], kmax) if binom else pmf(lam, kmax)) * n
    variance = lam * (1 - binom[1]) if binom else lam
    observed = np.bincount(x.astype(int), minlength=kmax + 1)[: kmax + 1].astype(float)
    # Merge bins from both ends until each holds at least 5 expected.
    bins_e, bins_o, acc_e, acc_o = [], [], 0.0, 0.0
    for e, o in zip(expected, observed):
        acc_e, acc_o = acc_e + e, acc_o + o
        if acc_e >= 5:
            bins_e.append(acc_e)
            bins_o.append(acc_o)
            acc_e = acc_o = 0.0
    bins_e[-1] += acc_e + (n - expected.sum())
    bins_o[-1] += acc_o + (n - observed.sum())
    bins_e, bins_o = np.array(bins_e), np.array(bins_o)
    chi2 = float(((bins_o - bins_e) ** 2 / bins_e).sum())
    df = len(bins_e) - 1
    chi_ok = df == 0 or chi2 < chi2_quantile(df)
    mean_ok = abs(x.mean() - lam) < 4 * math.sqrt(variance / n)
    var_ok = abs(x.var() - variance) < 4 * variance * math.sqrt((2 + 1 / variance) / n)
    label = "binomial(%g, %g)" % binom if binom else "lam %g" % lam
    print("%s %s: chi2 %s, mean %s, var %s" % (pop, label, ok(chi_ok), ok(mean_ok), ok(var_ok)))
    if not (chi_ok and mean_ok and var_ok):
        print("  chi2 %.1f df %d mean %g var %g" % (chi2, df, x.mean(), x.var()))

h = np.load("%s/H.n_.final.npy" % d)[0][1]
k0 = np.load("%s/K.n_.final.npy" % d)[0][1]
print("binomial(5.7, 1) = 5 (n truncated): %s; binomial(5, 0) = 0: %s"
      % (bool(np.all(h == 5)), bool(np.all(k0 == 0))))
rec = np.load("%s/Q.v.npy" % d)
v = np.concatenate([r[1] for r in rec[100:]])  # after 5 tau (10 ms)
J, lam, a = 1e-4, 1.0, math.exp(-0.1 / 2)
mean, var = J * lam / (1 - a), J * J * lam / (1 - a * a)
# 100 samples 0.1 ms apart per neuron over T = 10 ms: T / (2 tau) = 2.5 independent ones, 200 neurons.
neff = 200 * 2.5
mean_ok = abs(v.mean() - mean) < 5 * math.sqrt(var / neff)
var_ok = abs(v.var() - var) < 5 * var * math.sqrt(2 / neff)
print("shot noise: mean %s, variance %s" % (ok(mean_ok), ok(var_ok)))
if not (mean_ok and var_ok):
    print("  mean %g (%g) var %g (%g)" % (v.mean(), mean, v.var(), var))
c = np.load("%s/Q.c.final.npy" % d)[0][1]
print("counts: mean %s, outside the slice %g" % (ok(abs(c[:100].mean() - 200) < 4 * math.sqrt(200 / 100)),
                                                c[100:].max()))
