import sys

import numpy as np

d = sys.argv[1]
E, I = np.load(d + "/E.spikes.npy")["t"], np.load(d + "/I.spikes.npy")["t"]
per_second = np.array([np.sum((E >= s) & (E < s + 1)) / 800 for s in range(5)])
w = np.concatenate([np.load(d + "/%s.w.final.npy" % c)[0]["w"] for c in ("ee", "ei")])
rate_e, rate_i = len(E) / 800 / 5, len(I) / 200 / 5
print("E %.2f Hz, I %.2f Hz, per second %s, mean w %.4f, std %.3f"
      % (rate_e, rate_i, per_second, w.mean(), w.std()), file=sys.stderr)
checks = [("E rate", abs(rate_e / 4.31 - 1) < 0.10),
          ("I rate", abs(rate_i / 25.13 - 1) < 0.10),
          ("weight change", abs((w.mean() - 6) / 0.2025 - 1) < 0.20),
          ("bounds", w.min() >= 0 and w.max() <= 10),
          ("spread", w.std() > 0.3),
          ("falls", per_second[4] < 0.8 * per_second[1])]
print("; ".join("%s %s" % (name, "ok" if ok else "FAILED") for name, ok in checks))
