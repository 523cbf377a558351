"""Binned population rates of test/Execution/record_rate.snn against the spike record."""
import math
import sys

import numpy as np

out = sys.argv[1]
s = np.load(f"{out}/In.spikes.npy")
bins = np.arange(101) * 0.01 - 0.5e-4  # bin k holds the steps [100k, 100k + 100)
for name, n, sel in (("In.rate", 1000, np.ones(len(s), bool)), ("In.rate_2", 500, s["i"] < 500)):
    r = np.load(f"{out}/{name}.npy")
    counts, _ = np.histogram(s["t"][sel], bins=bins)
    assert r.shape == (100,), r.shape
    assert np.allclose(r["t"], np.arange(100) * 0.01, rtol=0, atol=1e-12)
    assert np.allclose(r["rate"], counts / n / 0.01, rtol=1e-12, atol=0), name
    mean = r["rate"].mean()
    se = math.sqrt(15 / (n * 1.0))  # Poisson: variance of the rate estimate over 1 s
    print(f"{name}: mean {mean:.3f} Hz over 100 bins, expected 15 +- {se:.3f}")
    assert abs(mean - 15) < 5 * se
print("PASS")
