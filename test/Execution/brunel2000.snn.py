"""Reads a Brunel (2000) run of snnc, prints bench/brunel2000/analyse.py's statistics and compares
them with the Brian2 twin's: OUT T rate_E rate_I cv_E sync_E."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench",
                                "brunel2000"))
from analyse import stats  # noqa: E402

out, T = sys.argv[1], float(sys.argv[2])
ref = dict(zip(("rate_E", "rate_I", "cv_E", "sync_E"), (float(x) for x in sys.argv[3:7])))
e, i = np.load(out + "/E.spikes.npy"), np.load(out + "/I.spikes.npy")
s = stats(e["t"], e["i"], i["t"], i["i"], 10000, 2500, T)
print("rate_E %.2f Hz, rate_I %.2f Hz, cv_E %.3f, sync_E %.3f"
      % (s["rate_E"], s["rate_I"], s["cv_E"], s["sync_E"]))
good = {
    "rate_E": abs(s["rate_E"] / ref["rate_E"] - 1) < 0.05,
    "rate_I": abs(s["rate_I"] / ref["rate_I"] - 1) < 0.05,
    "cv_E": abs(s["cv_E"] - ref["cv_E"]) < 0.1,
    "sync_E": abs(s["sync_E"] / ref["sync_E"] - 1) < 0.25,
}
print(", ".join("%s %s" % (k, "ok" if v else "FAILED") for k, v in good.items()))

