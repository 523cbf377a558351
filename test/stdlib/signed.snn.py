import sys

import numpy as np

d = sys.argv[1]
n_steps, alpha = 1000, 0.1
x = (np.arange(9) - 4) / 16
spikes = np.load(d + "/L.spikes.npy")
signs = np.array([row[1] for row in np.load(d + "/L.s.npy")])  # (steps, 9), sampled at step start
ok = True
total = 0
for k in range(9):
    # Step m (m = 0 .. n-1) integrates the (m + 1)-th input: v = (m + 1) x - (spikes so far).
    m = np.arange(n_steps)
    per = 1.0 if x[k] > 0 else 1 / alpha
    count = np.floor((m + 1) * abs(x[k]) / per)
    want = np.nonzero(np.diff(np.concatenate([[0], count])) > 0)[0]
    got = np.sort(np.round(spikes["t"][spikes["i"] == k] / 1e-3).astype(int))
    ok = ok and np.array_equal(got, want)
    # s is sampled at the start of the next step, so a spike in step m shows at sample m + 1.
    sign = np.sign(x[k])
    ok = ok and all(signs[m1 + 1, k] == sign for m1 in want if m1 + 1 < n_steps)
    total += sign * len(want)
print("spike steps and signs: %s" % ok)
v = np.load(d + "/Sum.v.final.npy")[0]["v"][0]
print("next layer's sum: %s" % (v == total))
rate = np.array([np.sign(x[k]) * np.sum(spikes["i"] == k) / n_steps for k in range(9)])
relu = np.where(x > 0, x, alpha * x)
print("rates approach the leaky ReLU: %s" % bool(np.allclose(rate, relu, atol=2 / n_steps)))
